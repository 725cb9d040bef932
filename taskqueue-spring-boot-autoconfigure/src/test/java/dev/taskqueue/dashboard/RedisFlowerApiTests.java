package dev.taskqueue.dashboard;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;

import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The REST API on the real Redis (database 11, keys under a prefix of this test's own):
 * results from the Redis backend, tasks from events over Redis pub/sub, workers from remote
 * control, queue lengths from the broker; and 503 for results without a result backend.
 */
class RedisFlowerApiTests {

	private static final String URL = RedisServer.url(11);

	private final String prefix = "flower-" + UUID.randomUUID().toString().substring(0, 8);

	private final String worker = this.prefix + "@test";

	private final WebApplicationContextRunner contextRunner = FlowerClient.contextRunner()
		.withPropertyValues("taskqueue.broker.url=" + URL, "taskqueue.broker.redis.global-keyprefix=" + this.prefix + ":",
				"taskqueue.worker.hostname=" + this.worker, "taskqueue.worker.queues=" + this.prefix);

	@AfterEach
	void deleteKeys() {
		RedisClient client = RedisClient.create(RedisURI.create(URL));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<String> keys = connection.sync().keys("*" + this.prefix + "*");
			if (!keys.isEmpty()) {
				connection.sync().del(keys.toArray(String[]::new));
			}
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void aTaskSentThroughTheApiRunsAndIsSeenInResultsEventsAndWorkers() {
		this.contextRunner.withPropertyValues("taskqueue.backend.url=" + URL).run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			Map<String, Object> sent = mvc.ok(post("/taskqueue/api/task/async-apply/flower.add")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [20, 22], \"queue\": \"" + this.prefix + "\"}"));
			assertThat(sent).containsEntry("state", "PENDING");
			String id = (String) sent.get("task-id");
			assertThat(mvc.ok(get("/taskqueue/api/task/result/" + id).param("timeout", "10")))
				.isEqualTo(Map.of("task-id", id, "state", "SUCCESS", "result", 42));
			await().atMost(FlowerClient.TIMEOUT)
				.untilAsserted(() -> assertThat(mvc.ok(get("/taskqueue/api/task/info/" + id)))
					.containsEntry("state", "SUCCESS")
					.containsEntry("result", "42")
					.containsEntry("worker", this.worker));
			Map<String, Object> workers = mvc.ok(get("/taskqueue/api/workers").param("refresh", "true")
				.param("workername", this.worker));
			assertThat(FlowerClient.map(FlowerClient.map(workers.get(this.worker)).get("stats"))).containsKey("pool");
			assertThat(FlowerClient.list(mvc.ok(get("/taskqueue/api/queues/length")).get("active_queues")))
				.contains(Map.of("name", this.prefix, "messages", 0));
		});
	}

	@Test
	void withoutAResultBackendSendsAnswerTheIdOnlyAndResultsAreUnavailable() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			Map<String, Object> sent = mvc.ok(post("/taskqueue/api/task/send-task/flower.add")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [1, 2], \"queue\": \"" + this.prefix + "\"}"));
			assertThat(sent).containsOnlyKeys("task-id");
			assertThat(mvc.error(get("/taskqueue/api/task/result/" + sent.get("task-id")), 503))
				.contains("No result backend");
		});
	}

}
