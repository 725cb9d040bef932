package dev.taskqueue.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskSendException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample's tasks in eager mode, as an application tests its own tasks: each send runs
 * the task at once in the test's thread, through the codec and the worker's argument binding,
 * with no broker.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "taskqueue.task.always-eager=true")
class EagerTasksTests {

	@Autowired
	private TaskOperations tasks;

	@Autowired
	private TaskController controller;

	@Test
	void sendRunsTheTaskAtOnce() {
		AsyncResult<Long> sum = this.tasks.task("tasks.add").args(2, 3).send(Long.class);
		assertThat(sum.successful()).isTrue();
		assertThat(sum.get(Duration.ZERO)).isEqualTo(5L);
		assertThat(this.tasks.send("tasks.xsum", List.of(1, 2, 3, 4)).get(Duration.ZERO)).isEqualTo(10);
	}

	@Test
	void controllerAnswersWithTheFinalState() {
		TaskController.SentTask sent = this.controller
			.send("tasks.mul", new SendTaskRequest(List.of(6, 7), null, null, null, null, null, null))
			.getBody();
		assertThat(sent).isNotNull();
		assertThat(sent.state()).isEqualTo("SUCCESS");
		assertThat(this.tasks.result(sent.id()).get(Duration.ZERO)).isEqualTo(42);
	}

	@Test
	void failingTaskEndsInFailure() {
		AsyncResult<Object> failed = this.tasks.send("tasks.fail", "boom");
		assertThat(failed.failed()).isTrue();
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.get(Duration.ZERO))
			.withMessageContaining("boom");
	}

	@Test
	void argumentsThatDoNotBindFailTheSend() {
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> this.tasks.send("tasks.add", Map.of("x", 1), 2))
			.withMessageContaining("TypeError");
	}

}
