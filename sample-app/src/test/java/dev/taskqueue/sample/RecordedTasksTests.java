package dev.taskqueue.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import dev.taskqueue.core.TaskOptions;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.test.RecordingTaskOperations;
import dev.taskqueue.test.SentTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * What the sample's REST API sends, checked with {@link RecordingTaskOperations} in place of
 * the auto-configured template: nothing is published and nothing runs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class RecordedTasksTests {

	@Autowired
	private RecordingTaskOperations tasks;

	@Autowired
	private TaskController controller;

	@Autowired
	private SampleTaskClient sampleClient;

	@Autowired
	private PythonTaskClient pythonClient;

	@BeforeEach
	void forgetEarlierSends() {
		this.tasks.clear();
	}

	@Test
	void controllerSendsTheTaskWithItsOptions() {
		Instant before = Instant.now();
		this.controller.send("tasks.add", new SendTaskRequest(List.of(2, 3), null, 60.0, null, null, "urgent", 5));
		SentTask sent = this.tasks.sentOnce("tasks.add");
		assertThat(sent.args()).containsExactly(2, 3);
		assertThat(sent.queue()).isEqualTo("urgent");
		assertThat(sent.priority()).isEqualTo(5);
		assertThat(sent.eta()).isAfterOrEqualTo(before.plusSeconds(59));
	}

	@Test
	void nothingRuns() {
		TaskController.SentTask sent = this.controller.send("tasks.add", null).getBody();
		assertThat(sent).isNotNull();
		assertThat(sent.state()).isEqualTo("PENDING");
		assertThat(this.tasks.sent()).extracting(SentTask::name).containsExactly("tasks.add");
	}

	@Test
	void pythonClientSendsToThePythonQueue() {
		this.pythonClient.progress(3);
		SentTask sent = this.tasks.sentOnce("tasks.progress");
		assertThat(sent.args()).isEmpty();
		assertThat(sent.kwargs()).containsExactly(entry("steps", 3));
		assertThat(sent.queue()).isEqualTo("python");
	}

	@Test
	void sampleClientSendsWithTheCallsOptions() {
		Instant before = Instant.now();
		this.sampleClient.mul(6, 7, TaskOptions.none().countdown(Duration.ofMinutes(1)).priority(3));
		SentTask sent = this.tasks.sentOnce("tasks.mul");
		assertThat(sent.args()).containsExactly(6, 7);
		assertThat(sent.queue()).isEqualTo("celery");
		assertThat(sent.priority()).isEqualTo(3);
		assertThat(sent.eta()).isAfterOrEqualTo(before.plusSeconds(59));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class RecordingConfiguration {

		@Bean
		RecordingTaskOperations recordingTaskOperations(TaskRouter router) {
			return new RecordingTaskOperations(router);
		}

	}

}
