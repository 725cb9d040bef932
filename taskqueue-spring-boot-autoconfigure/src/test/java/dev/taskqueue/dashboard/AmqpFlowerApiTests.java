package dev.taskqueue.dashboard;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.taskqueue.testsupport.RabbitServer;


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
		this.contextRunner.run((context) -> new FlowerClient(context).sendAndFollow(this.queue, this.worker));
	}

}
