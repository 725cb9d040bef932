package dev.taskqueue.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.TaskQueueException;
import dev.taskqueue.actuate.TaskQueueHealthIndicator;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.redis.RedisResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.testsupport.RedisSentinels;
import dev.taskqueue.worker.WorkerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis broker and result backend behind Sentinel ({@code sentinel://} URLs with
 * {@code master-name}), on a master, a replica and three Sentinels of the test's own
 * ({@link RedisSentinels}, ports 16420, 16421 and 26420 to 26422): a worker and a sender
 * follow a failover the Sentinels run, and the crash of the master, and the health names the
 * master they follow.
 */
class RedisSentinelFailoverTests {

	private static final int BASE_PORT = 16420;

	private static RedisSentinels sentinels;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
		.withUserConfiguration(Tasks.class)
		.withPropertyValues("taskqueue.broker.url=" + sentinels.url(0), "taskqueue.backend.url=" + sentinels.url(1),
				"taskqueue.broker.redis.master-name=" + sentinels.masterName(),
				"taskqueue.backend.redis.master-name=" + sentinels.masterName(), "taskqueue.default-queue=sentinel",
				"taskqueue.worker.concurrency=2");

	@BeforeAll
	static void startSentinels() throws Exception {
		Path dir = Files.createTempDirectory("redis-sentinels");
		sentinels = RedisSentinels.start(dir, BASE_PORT, "tq-master");
	}

	@AfterAll
	static void stopSentinels() {
		if (sentinels != null) {
			sentinels.close();
		}
	}

	@BeforeEach
	void awaitTheReplica() {
		await().atMost(Duration.ofSeconds(30)).until(sentinels::replicaInSync);
	}

	@Test
	void theConnectionsAreFoundThroughTheSentinels() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(RedisBroker.class).hasSingleBean(RedisResultBackend.class);
			LettuceConnectionFactory broker = context.getBean(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME,
					LettuceConnectionFactory.class);
			assertThat(broker.getSentinelConfiguration()).isNotNull();
			assertThat(broker.getSentinelConfiguration().getMaster().getName()).isEqualTo("tq-master");
			assertThat(broker.getSentinelConfiguration().getSentinels()).hasSize(3);
			assertThat(broker.getDatabase()).isZero();
			assertThat(context.getBean(Broker.class).url()).isEqualTo(sentinels.url(0));
			assertThat(add(context.getBean(TaskOperations.class), 2, 3)).isEqualTo(5);
		});
	}

	@Test
	void aFailoverIsFollowedByTheSenderTheWorkerTheBackendAndTheHealth() {
		this.contextRunner.run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			TaskQueueHealthIndicator health = health(context.getBean(Broker.class),
					context.getBean(ResultBackend.class), context.getBean(WorkerContainer.class));
			assertThat(add(tasks, 1, 2)).isEqualTo(3);
			String before = "master 127.0.0.1:" + sentinels.masterPort();
			assertThat(health.health().getDetails()).containsEntry("brokerServer", before)
				.containsEntry("backendServer", before);
			int promoted = sentinels.failover();
			assertThat(add(tasks, 2, 3)).isEqualTo(5);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				Health now = health.health();
				assertThat(now.getStatus()).isEqualTo(Status.UP);
				assertThat(now.getDetails()).containsEntry("brokerServer", "master 127.0.0.1:" + promoted)
					.containsEntry("backendServer", "master 127.0.0.1:" + promoted);
			});
		});
	}

	/**
	 * With {@code wait-for-replicas}, a send returns once the replica has the message, so the
	 * replica promoted after the master's crash has every task whose send returned; sends that
	 * find no master, or no replica in sync yet, fail instead (and are not counted). Results
	 * wait for the replica too, and are stored again until one has them.
	 */
	@Test
	void everyTaskWhoseSendReturnedAroundTheCrashOfTheMasterIsExecuted() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.redis.wait-for-replicas=1",
					"taskqueue.backend.redis.wait-for-replicas=1")
			.run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			assertThat(add(tasks, 1, 100)).isEqualTo(101);
			CompletableFuture<Integer> crash = CompletableFuture.supplyAsync(sentinels::killMaster);
			Map<Integer, AsyncResult<Object>> sent = new LinkedHashMap<>();
			int failed = 0;
			for (int i = 0; !crash.isDone() || sent.size() < 10; i++) {
				try {
					sent.put(i, tasks.send("sentinel.add", i, 200));
				}
				catch (TaskQueueException ex) {
					failed++;
				}
			}
			int promoted = crash.join();
			for (Map.Entry<Integer, AsyncResult<Object>> task : sent.entrySet()) {
				assertThat(task.getValue().get(Duration.ofSeconds(60))).as("task %d of %d sent (%d sends failed)",
						task.getKey(), sent.size(), failed).isEqualTo(task.getKey() + 200);
			}
			assertThat(add(tasks, 3, 4)).isEqualTo(7);
			assertThat(context.getBean(Broker.class).pingServer()).isEqualTo("master 127.0.0.1:" + promoted);
		});
	}

	@Test
	void sendsAndResultsWaitForTheReplicaWhenAsked() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.redis.wait-for-replicas=1",
					"taskqueue.backend.redis.wait-for-replicas=1")
			.run((context) -> assertThat(add(context.getBean(TaskOperations.class), 4, 5)).isEqualTo(9));
	}

	private static Object add(TaskOperations tasks, int x, int y) {
		return tasks.send("sentinel.add", x, y).get(Duration.ofSeconds(60));
	}

	private static TaskQueueHealthIndicator health(Broker broker, ResultBackend backend, WorkerContainer worker) {
		return new TaskQueueHealthIndicator(broker, backend, worker);
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		@Bean
		SentinelTasks sentinelTasks() {
			return new SentinelTasks();
		}

	}

	static class SentinelTasks {

		@CeleryTask(name = "sentinel.add")
		int add(int x, int y) {
			return x + y;
		}

	}

}
