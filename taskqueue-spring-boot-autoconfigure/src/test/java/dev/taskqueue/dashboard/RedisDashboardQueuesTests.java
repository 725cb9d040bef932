package dev.taskqueue.dashboard;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import dev.taskqueue.control.ActiveQueue;
import dev.taskqueue.control.TaskQueueControl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Pausing and resuming a queue from the dashboard with two workers on the real Redis
 * (database 11, keys under a prefix of this test's own): resuming goes back to the worker that
 * consumed the queue, not to every worker.
 */
class RedisDashboardQueuesTests {

	private static final String URL = "redis://127.0.0.1:6379/11";

	private final String prefix = "dashq-" + UUID.randomUUID().toString().substring(0, 8);

	private final String shared = this.prefix + "-shared";

	private final WebApplicationContextRunner contextRunner = FlowerClient.contextRunner()
		.withPropertyValues("taskqueue.broker.url=" + URL,
				"taskqueue.broker.redis.global-keyprefix=" + this.prefix + ":", "taskqueue.dashboard.read-only=false");

	@AfterEach
	void deleteKeys() {
		FlowerClient.deleteKeys(URL, this.prefix);
	}

	@Test
	void resumingAQueueGoesBackToTheWorkersThatConsumedIt() {
		String consumer = this.prefix + "-a@test";
		String other = this.prefix + "-b@test";
		this.contextRunner
			.withPropertyValues("taskqueue.worker.hostname=" + consumer,
					"taskqueue.worker.queues=" + this.shared + "," + this.prefix + "-a")
			.run((first) -> this.contextRunner
				.withPropertyValues("taskqueue.worker.hostname=" + other, "taskqueue.worker.queues=" + this.prefix + "-b")
				.run((second) -> {
					TaskQueueControl control = first.getBean(TaskQueueControl.class);
					await().atMost(FlowerClient.TIMEOUT)
						.untilAsserted(() -> assertThat(control.inspect().ping()).containsKeys(consumer, other));
					MockMvc mvc = MockMvcBuilders.webAppContextSetup(first).build();
					mvc.perform(post("/taskqueue/actions/queues/" + this.shared + "/pause")).andExpect(status().isOk());
					assertThat(consumers(control)).doesNotContain(consumer, other);
					mvc.perform(post("/taskqueue/actions/queues/" + this.shared + "/resume")).andExpect(status().isOk());
					assertThat(consumers(control)).containsExactly(consumer);
				}));
	}

	// the workers consuming the shared queue, as they answer active_queues
	private List<String> consumers(TaskQueueControl control) {
		Map<String, List<ActiveQueue>> queues = control.inspect().activeQueues();
		return queues.entrySet().stream()
			.filter((entry) -> entry.getValue().stream().anyMatch((queue) -> queue.name().equals(this.shared)))
			.map(Map.Entry::getKey)
			.toList();
	}

}
