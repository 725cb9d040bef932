package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.DisabledResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.redis.RedisResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskSendException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the Redis broker and result backend auto-configuration, against the local Redis.
 */
class TaskQueueRedisAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.broker.url=redis://127.0.0.1:6379/13",
				"taskqueue.backend.url=redis://127.0.0.1:6379/14");

	@Test
	void redisUrlsSelectRedisBrokerAndBackend() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisBroker.class).hasSingleBean(RedisResultBackend.class);
			assertThat(context.getBean(Broker.class).url()).isEqualTo("redis://127.0.0.1:6379/13");
			assertThat(context.getBean(ResultBackend.class).url()).isEqualTo("redis://127.0.0.1:6379/14");
			context.getBean(Broker.class).ping();
			assertThat(context).hasSingleBean(TaskOperations.class);
		});
	}

	@Test
	void realBrokerWithoutBackendUrlHasNoBackendAndSaysSo() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withPropertyValues("taskqueue.broker.url=redis://127.0.0.1:6379/13",
					"taskqueue.broker.redis.global-keyprefix=disabled-backend-test:")
			.run((context) -> {
				assertThat(context).hasSingleBean(DisabledResultBackend.class);
				AsyncResult<Object> result = context.getBean(TaskOperations.class).result("some-task");
				assertThatExceptionOfType(ResultBackendException.class)
					.isThrownBy(() -> result.get(Duration.ofMinutes(5)))
					.withMessageContaining("No result backend is configured: configure one");
			});
	}

	@Test
	void applicationsOwnRedisConnectionFactoryStaysTheOneInjected() {
		this.contextRunner.withUserConfiguration(AppRedisConfiguration.class).run((context) -> {
			assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).containsExactlyInAnyOrder("appRedis",
					RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME,
					RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME);
			assertThat(context.getBean(RedisConnectionFactory.class)).isSameAs(context.getBean("appRedis"));
			assertThat(context.getBean(AppRedisUser.class).factory()).isSameAs(context.getBean("appRedis"));
		});
	}

	@Test
	void routesSelectTheRedisQueue() {
		this.contextRunner
			.withPropertyValues("taskqueue.worker.enabled=false", "taskqueue.routes.[reports.*].queue=reports-routed",
					"taskqueue.routes.[events.*].exchange=events", "taskqueue.routes.[events.*].routing-key=new")
			.run((context) -> {
				RedisBroker broker = context.getBean(RedisBroker.class);
				long before = broker.size("reports-routed");
				context.getBean(TaskOperations.class).send("reports.daily", 1);
				assertThat(broker.size("reports-routed")).isEqualTo(before + 1);
				assertThatExceptionOfType(TaskSendException.class)
					.isThrownBy(() -> context.getBean(TaskOperations.class).send("events.created"))
					.withMessageContaining("cannot publish to exchange 'events'");
			});
	}

	@Test
	void passwordIsMaskedInUrl() {
		this.contextRunner.withPropertyValues("taskqueue.broker.url=redis://:secret@127.0.0.1:6379/13")
			.run((context) -> assertThat(context.getBean(Broker.class).url())
				.isEqualTo("redis://:**@127.0.0.1:6379/13"));
	}

	@Test
	void missingSpringDataRedisFailsWithHint() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class)).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(MissingTransportException.class)
				.hasMessageContaining("No transport for taskqueue.broker.url=redis://127.0.0.1:6379/13")
				.hasMessageContaining("spring-data-redis");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class AppRedisConfiguration {

		@Bean
		LettuceConnectionFactory appRedis() {
			return new LettuceConnectionFactory("127.0.0.1", 6379);
		}

		@Bean
		AppRedisUser appRedisUser(RedisConnectionFactory factory) {
			return new AppRedisUser(factory);
		}

	}

	record AppRedisUser(RedisConnectionFactory factory) {
	}

}
