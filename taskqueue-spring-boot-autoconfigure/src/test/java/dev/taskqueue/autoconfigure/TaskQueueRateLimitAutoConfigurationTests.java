package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.SharedTokenBuckets;
import dev.taskqueue.backend.redis.RedisTokenBuckets;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.RateLimitScope;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.worker.WorkerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the shared token buckets of cluster-wide rate limits: on the Redis broker's
 * connection under its global key prefix, else on the Redis result backend's, else none, and
 * then a task with a cluster-wide limit keeps the application from starting. Redis database
 * 15, keys and queues starting with {@code rate-}.
 */
class TaskQueueRateLimitAutoConfigurationTests {

	private static final int DB = 15;

	private final String prefix = "rate-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
		.withPropertyValues("taskqueue.default-queue=" + this.prefix + "queue", "taskqueue.worker.concurrency=1");

	@AfterEach
	void removeKeys() {
		RedisClient client = RedisClient.create(RedisServer.url(DB));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<String> keys = connection.sync().keys(this.prefix + "*");
			if (!keys.isEmpty()) {
				connection.sync().del(keys.toArray(new String[0]));
			}
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void redisBrokerKeepsTheBucketsUnderItsKeyPrefixAndClusterScopedTasksStart() {
		this.contextRunner.withUserConfiguration(ClusterTasks.class)
			.withPropertyValues("taskqueue.broker.url=" + RedisServer.url(DB),
					"taskqueue.broker.redis.global-keyprefix=" + this.prefix, "taskqueue.backend.url=memory://")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RedisTokenBuckets.class);
				assertThat(context.getBean(WorkerContainer.class).isRunning()).isTrue();
				SharedTokenBuckets buckets = context.getBean(SharedTokenBuckets.class);
				assertThat(buckets.url()).isEqualTo(RedisServer.url(DB));
				assertThat(buckets.take("tasks.probe", 1, 1)).isZero();
				assertThat(keys()).contains(this.prefix + "taskqueue-rate-limit:tasks.probe");
			});
	}

	@Test
	void redisBackendBehindAnotherBrokerHoldsTheBuckets() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=memory://", "taskqueue.backend.url=" + RedisServer.url(DB),
					"taskqueue.worker.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisTokenBuckets.class);
				assertThat(context.getBean(SharedTokenBuckets.class).url()).isEqualTo(RedisServer.url(DB));
			});
	}

	@Test
	void redisBrokerOnTheApplicationsConnectionHoldsTheBuckets() {
		this.contextRunner.withUserConfiguration(ApplicationRedis.class)
			.withPropertyValues("taskqueue.broker.redis.global-keyprefix=" + this.prefix,
					"taskqueue.backend.url=memory://", "taskqueue.worker.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisTokenBuckets.class);
				assertThat(context.getBean(SharedTokenBuckets.class).url()).isEqualTo(RedisServer.url(DB));
			});
	}

	@Test
	void withoutRedisAClusterScopedTaskFailsTheStartWithTheReason() {
		this.contextRunner.withUserConfiguration(ClusterTasks.class)
			.withPropertyValues("taskqueue.broker.url=memory://", "taskqueue.backend.url=memory://")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("Tasks [rate.cluster] have a rate limit with rateLimitScope CLUSTER")
					.hasMessageContaining("use a Redis broker or result backend (a redis:// URL)");
			});
	}

	@Test
	void withoutRedisWorkerScopedLimitsNeedNoBuckets() {
		this.contextRunner.withUserConfiguration(WorkerTasks.class)
			.withPropertyValues("taskqueue.broker.url=memory://", "taskqueue.backend.url=memory://")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(SharedTokenBuckets.class);
				assertThat(context.getBean(WorkerContainer.class).isRunning()).isTrue();
			});
	}

	@Test
	void applicationsOwnBucketsReplaceRedis() {
		this.contextRunner.withUserConfiguration(ClusterTasks.class, OwnBuckets.class)
			.withPropertyValues("taskqueue.broker.url=memory://", "taskqueue.backend.url=" + RedisServer.url(DB))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(RedisTokenBuckets.class);
				assertThat(context.getBean(SharedTokenBuckets.class).url()).isEqualTo("own://");
				assertThat(context.getBean(WorkerContainer.class).isRunning()).isTrue();
			});
	}

	private List<String> keys() {
		RedisClient client = RedisClient.create(RedisServer.url(DB));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().keys(this.prefix + "*");
		}
		finally {
			client.shutdown();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ClusterTasks {

		@CeleryTask(name = "rate.cluster", rateLimit = "10/s", rateLimitScope = RateLimitScope.CLUSTER)
		void cluster() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerTasks {

		@CeleryTask(name = "rate.worker", rateLimit = "10/s")
		void worker() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationRedis {

		@Bean
		LettuceConnectionFactory applicationRedis() {
			RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(RedisServer.HOST, RedisServer.PORT);
			server.setDatabase(DB);
			return new LettuceConnectionFactory(server);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBuckets {

		@Bean
		SharedTokenBuckets ownBuckets() {
			return new SharedTokenBuckets() {

				@Override
				public Duration take(String bucket, double tokensPerSecond, int capacity) {
					return Duration.ZERO;
				}

				@Override
				public String url() {
					return "own://";
				}

			};
		}

	}

}
