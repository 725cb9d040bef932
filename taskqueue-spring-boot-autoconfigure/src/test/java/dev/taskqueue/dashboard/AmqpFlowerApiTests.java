package dev.taskqueue.dashboard;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;

import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The REST API and the pages' data on the real RabbitMQ with the {@code rpc://} backend, on a
 * queue of this test's own: the same broker SPIs as on Redis.
 */
class AmqpFlowerApiTests {

	private final String queue = "dashboard-amqp-" + UUID.randomUUID().toString().substring(0, 8);

	private final String worker = this.queue + "@test";

	private final WebApplicationContextRunner contextRunner = FlowerClient.contextRunner()
		.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//", "taskqueue.backend.url=rpc://",
				"taskqueue.worker.hostname=" + this.worker, "taskqueue.worker.queues=" + this.queue,
				"taskqueue.worker.send-task-events=true", "taskqueue.dashboard.read-only=false");

	@AfterEach
	void deleteQueue() {
		RabbitServer.deleteQueues(this.queue);
	}

	@Test
	void aTaskSentThroughTheApiRunsAndIsSeenInResultsEventsWorkersAndQueues() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			Map<String, Object> sent = mvc.ok(post("/taskqueue/api/task/async-apply/flower.add")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [20, 22], \"queue\": \"" + this.queue + "\"}"));
			String id = (String) sent.get("task-id");
			assertThat(mvc.ok(get("/taskqueue/api/task/result/" + id).param("timeout", "10")))
				.isEqualTo(Map.of("task-id", id, "state", "SUCCESS", "result", 42));
			await().atMost(FlowerClient.TIMEOUT)
				.untilAsserted(() -> assertThat(mvc.ok(get("/taskqueue/api/task/info/" + id)))
					.containsEntry("state", "SUCCESS")
					.containsEntry("worker", this.worker));
			Map<String, Object> workers = mvc.ok(get("/taskqueue/api/workers").param("refresh", "true")
				.param("workername", this.worker));
			assertThat(FlowerClient.map(FlowerClient.map(workers.get(this.worker)).get("stats"))).containsKey("pool");
			assertThat(FlowerClient.list(mvc.ok(get("/taskqueue/api/queues/length")).get("active_queues")))
				.contains(Map.of("name", this.queue, "messages", 0));
		});
	}

}
