package dev.taskqueue.autoconfigure;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.taskqueue.TaskQueueException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MissingTransportCheck} and {@link MissingTransportFailureAnalyzer}.
 */
class MissingTransportFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class));

	@Test
	void redisBrokerWithoutSpringDataRedisNamesTheDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("taskqueue.broker.url=redis://:secret@127.0.0.1:6379/3")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MissingTransportFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("taskqueue.broker.url")
					.contains("redis://:**@127.0.0.1:6379/3")
					.contains("Redis transport")
					.doesNotContain("secret");
				assertThat(analysis.getAction())
					.contains("org.springframework.boot:spring-boot-starter-data-redis")
					.contains("io.lettuce:lettuce-core");
			});
	}

	@Test
	void redisBackendWithoutSpringDataRedisNamesTheBackendProperty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("taskqueue.backend.url=redis://127.0.0.1:6379/3")
			.run((context) -> {
				FailureAnalysis analysis = new MissingTransportFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).startsWith("taskqueue.backend.url is 'redis://127.0.0.1:6379/3'");
				assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis");
			});
	}

	@Test
	void amqpBrokerWithoutSpringRabbitNamesTheDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RabbitTemplate.class))
			.withPropertyValues("taskqueue.broker.url=amqps://guest:secret@localhost:5671//")
			.run((context) -> {
				assertThat(context.getStartupFailure()).isInstanceOf(TaskQueueException.class);
				FailureAnalysis analysis = new MissingTransportFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("amqps://guest:**@localhost:5671//")
					.contains("RabbitMQ transport");
				assertThat(analysis.getAction()).contains("org.springframework.boot:spring-boot-starter-amqp")
					.contains("org.springframework.amqp:spring-rabbit");
			});
	}

	@Test
	void rpcBackendWithoutSpringRabbitNamesTheDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RabbitTemplate.class))
			.withPropertyValues("taskqueue.backend.url=rpc://")
			.run((context) -> {
				FailureAnalysis analysis = new MissingTransportFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("taskqueue.backend.url is 'rpc://'");
				assertThat(analysis.getAction()).contains("spring-boot-starter-amqp");
			});
	}

	@Test
	void otherFailuresAreNotAnalyzed() {
		this.contextRunner.withPropertyValues("taskqueue.broker.url=kafka://host:9092").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(new MissingTransportFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
		});
	}

	@Test
	void analyzerIsRegisteredInSpringFactories() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, FailureHandler.logging(LogFactory.getLog(getClass()))))
			.hasAtLeastOneElementOfType(MissingTransportFailureAnalyzer.class);
	}

}
