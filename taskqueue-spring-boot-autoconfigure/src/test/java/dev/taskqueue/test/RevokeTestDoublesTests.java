package dev.taskqueue.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEagerAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskRevokedException;
import dev.taskqueue.core.TaskState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for revoking with the test doubles: {@link RecordingTaskOperations} records revokes
 * and reads them as REVOKED; in eager mode a task revoked before it is sent is not run.
 */
class RevokeTestDoublesTests {

	@Test
	void recordingTaskOperationsRecordsRevokesAndReadsThemAsRevoked() {
		RecordingTaskOperations tasks = new RecordingTaskOperations();
		AsyncResult<Object> sent = tasks.send("tasks.add", 2, 3);

		sent.revoke();
		tasks.revoke("never-sent", true);

		assertThat(tasks.revoked()).containsExactlyInAnyOrder(sent.id(), "never-sent");
		assertThat(sent.state()).isEqualTo(TaskState.REVOKED);
		assertThat(sent.result()).isEqualTo(Map.of("exc_type", "TaskRevokedError", "exc_message", List.of("revoked"),
				"exc_module", "celery.exceptions"));
		assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> sent.get(Duration.ZERO));
		tasks.clear();
		assertThat(tasks.revoked()).isEmpty();
		assertThat(tasks.sent()).isEmpty();
	}

	@Test
	void eagerModeDoesNotRunATaskRevokedBeforeItIsSent() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskQueueEagerAutoConfiguration.class,
					TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
			.withUserConfiguration(EagerModeTests.TasksConfiguration.class)
			.withPropertyValues("taskqueue.task.always-eager=true")
			.run((context) -> {
				TaskOperations tasks = context.getBean(TaskOperations.class);
				tasks.revoke("eager-revoked", false);

				AsyncResult<Object> sum = tasks.task("eager.add").id("eager-revoked").args(2, 3).send();
				AsyncResult<Object> other = tasks.send("eager.add", 2, 3);

				assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> sum.get(Duration.ZERO))
					.withMessageEndingWith("was revoked: revoked");
				assertThat(other.get(Duration.ZERO)).isEqualTo(5);
				sum.revoke();
				assertThat(sum.state()).isEqualTo(TaskState.REVOKED);
			});
	}

}
