package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.redis.RedisResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.amqp.AmqpBroker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the application's own Redis connection (Spring Boot's {@code spring.data.redis.*})
 * as the broker when {@code taskqueue.broker.url} is not set, and for a
 * {@link TaskQueueConnectionDetails} bean. Redis database 3.
 */
class TaskQueueApplicationConnectionTests {

	private static final int DB = 3;

	private final String prefix = "boot-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
		.withPropertyValues("taskqueue.broker.redis.global-keyprefix=" + this.prefix,
				"taskqueue.default-queue=boot-celery", "taskqueue.backend.url=memory://");

	@AfterEach
	void removeKeys() {
		LettuceConnectionFactory factory = applicationRedis();
		factory.start();
		try (RedisConnection connection = factory.getConnection()) {
			Set<byte[]> keys = connection.keyCommands().keys((this.prefix + "*").getBytes());
			if (keys != null && !keys.isEmpty()) {
				connection.keyCommands().del(keys.toArray(new byte[0][]));
			}
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void withoutUrlTheApplicationsRedisConnectionIsTheBroker() {
		this.contextRunner.withUserConfiguration(ApplicationRedis.class, Tasks.class).run((context) -> {
			assertThat(context).hasSingleBean(RedisBroker.class);
			assertThat(context).doesNotHaveBean(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME);
			assertThat(context.getBean(Broker.class).url()).isEqualTo("redis://127.0.0.1:6379/" + DB);
			Object sum = context.getBean(TaskOperations.class).send("boot.add", 2, 3).get(Duration.ofSeconds(10));
			assertThat(sum).isEqualTo(5);
		});
	}

	@Test
	void theResultBackendsOwnRedisConnectionIsNotTakenForTheApplicationsOne() {
		this.contextRunner.withUserConfiguration(Tasks.class)
			.withPropertyValues("taskqueue.backend.url=redis://127.0.0.1:6379/" + DB)
			.run((context) -> {
				assertThat(context).hasSingleBean(InMemoryBroker.class);
				assertThat(context).hasSingleBean(RedisResultBackend.class);
				Object sum = context.getBean(TaskOperations.class).send("boot.add", 2, 3).get(Duration.ofSeconds(10));
				assertThat(sum).isEqualTo(5);
			});
	}

	@Test
	void severalRedisConnectionsWithoutPrimaryFailAskingForTheUrl() {
		this.contextRunner.withUserConfiguration(ApplicationRedis.class, SecondApplicationRedis.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("taskqueue.broker.url")
				.hasMessageContaining("several RedisConnectionFactory beans, none of them primary"));
	}

	@Test
	void rabbitConnectionComesBeforeRedisConnection() {
		this.contextRunner.withUserConfiguration(ApplicationRedis.class, ApplicationRabbit.class)
			.withPropertyValues("taskqueue.worker.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(AmqpBroker.class).doesNotHaveBean(RedisBroker.class));
	}

	@Test
	void connectionDetailsBeanSuppliesTheUrl() {
		this.contextRunner.withUserConfiguration(Tasks.class)
			.withBean(TaskQueueConnectionDetails.class, () -> details("redis://127.0.0.1:6379/" + DB))
			.withPropertyValues("taskqueue.broker.url=redis://elsewhere.invalid:1/0")
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskQueueConnectionDetails.class);
				assertThat(context.getBean(Broker.class).url()).isEqualTo("redis://127.0.0.1:6379/" + DB);
				Object sum = context.getBean(TaskOperations.class).send("boot.add", 4, 5).get(Duration.ofSeconds(10));
				assertThat(sum).isEqualTo(9);
			});
	}

	@Test
	void connectionDetailsOfAnotherTransportFailClearly() {
		this.contextRunner.withBean(TaskQueueConnectionDetails.class, () -> details("amqp://localhost//"))
			.withPropertyValues("taskqueue.broker.url=redis://127.0.0.1:6379/" + DB)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("The URL amqp://localhost// does not fit the transport chosen for it"));
	}

	@Test
	void propertiesAreTheDefaultConnectionDetails() {
		this.contextRunner.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.broker.url=memory://")
			.run((context) -> {
				TaskQueueConnectionDetails details = context.getBean(TaskQueueConnectionDetails.class);
				assertThat(details).isInstanceOf(PropertiesTaskQueueConnectionDetails.class);
				assertThat(details.brokerUrl()).isEqualTo("memory://");
				assertThat(details.backendUrl()).isEqualTo("memory://");
			});
	}

	private static TaskQueueConnectionDetails details(String brokerUrl) {
		return new TaskQueueConnectionDetails() {

			@Override
			public String brokerUrl() {
				return brokerUrl;
			}

			@Override
			public @Nullable String backendUrl() {
				return "memory://";
			}

		};
	}

	private static LettuceConnectionFactory applicationRedis() {
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration("127.0.0.1", 6379);
		server.setDatabase(DB);
		return new LettuceConnectionFactory(server);
	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationRedis {

		@Bean
		LettuceConnectionFactory redisConnectionFactory() {
			return applicationRedis();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondApplicationRedis {

		@Bean
		LettuceConnectionFactory otherRedisConnectionFactory() {
			return applicationRedis();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationRabbit {

		@Bean
		CachingConnectionFactory rabbitConnectionFactory() {
			return new CachingConnectionFactory("127.0.0.1", 5672);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		@Bean
		AddTask bootAddTask() {
			return new AddTask();
		}

	}

	static class AddTask {

		@CeleryTask(name = "boot.add")
		int add(int x, int y) {
			return x + y;
		}

	}

}
