package dev.taskqueue.worker;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskLog}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskLogTests {

	private final TaskMessage add = TaskMessageBuilder.task("tasks.add")
		.id("log-id-1")
		.args(List.of(20260, 31337))
		.kwargs(Map.of("password", "hunter2"))
		.build();

	private final TaskLog log = new TaskLog();

	@Test
	void receivedAndSucceededTasksAreLoggedAsCeleryDoesWithoutTheirArguments(CapturedOutput output) {
		this.log.taskReceived(this.add, "celery");
		this.log.taskStarted(this.add, "celery");
		this.log.taskSucceeded(this.add, "celery", 51597, Duration.ofMillis(1));

		assertThat(output.getAll()).contains("INFO", "Task tasks.add[log-id-1] received")
			.contains("Task tasks.add[log-id-1] succeeded in 0.001s: 51597")
			.doesNotContain("20260")
			.doesNotContain("31337")
			.doesNotContain("hunter2");
	}

	@Test
	void resultIsShownAsItsPythonReprCutAfterTheLimit(CapturedOutput output) {
		this.log.taskSucceeded(this.add, "celery", Map.of("sum", Arrays.asList("a", true, null)),
				Duration.ofMillis(1500));
		new TaskLog(true, 20).taskSucceeded(this.add, "celery", "word ".repeat(100), Duration.ZERO);

		assertThat(output.getAll()).contains("succeeded in 1.5s: {'sum': ['a', True, None]}")
			.contains("succeeded in 0.0s: 'word word word")
			.doesNotContain("word ".repeat(10));
	}

	@Test
	void failedTaskIsLoggedAtErrorWithItsStackTrace(CapturedOutput output) {
		this.log.taskFailed(this.add, "celery", ExceptionInfo.python("builtins", "ValueError", "boom"),
				new IllegalArgumentException("boom"), Duration.ofMillis(2));

		assertThat(output.getAll()).contains("ERROR", "Task tasks.add[log-id-1] raised unexpected: ValueError('boom')")
			.contains("java.lang.IllegalArgumentException: boom")
			.contains("at dev.taskqueue.worker.TaskLogTests.failedTaskIsLoggedAtErrorWithItsStackTrace")
			.doesNotContain("hunter2");
	}

	@Test
	void retriedTaskIsLoggedAtWarn(CapturedOutput output) {
		this.log.taskRetried(this.add, "celery", ExceptionInfo.python("builtins", "ValueError", "later"), null,
				Duration.ZERO);
		this.log.taskRetried(this.add, "celery",
				ExceptionInfo.python("celery.exceptions", "Retry", "Retry at 2026-12-05T18:00:00"), null,
				Duration.ZERO);

		assertThat(output.getAll()).contains("WARN", "Task tasks.add[log-id-1] retry: ValueError('later')")
			.contains("Task tasks.add[log-id-1] retry: Retry at 2026-12-05T18:00:00");
	}

	@Test
	void revokedAndRejectedTasksAreLoggedAtInfo(CapturedOutput output) {
		this.log.taskRevoked(this.add, "celery", false, false);
		this.log.taskRevoked(this.add, "celery", false, true);
		this.log.taskRevoked(this.add, "celery", true, false);
		this.log.taskRejected(this.add, "celery", "unknown task tasks.add");
		this.log.taskRejected(null, "celery", "undecodable");

		assertThat(output.getAll()).contains("Task tasks.add[log-id-1] revoked" + System.lineSeparator())
			.contains("Task tasks.add[log-id-1] revoked: expired")
			.contains("Task tasks.add[log-id-1] revoked: terminated")
			.contains("Task tasks.add[log-id-1] rejected: unknown task tasks.add")
			.contains("A message from queue celery rejected: undecodable");
	}

	@Test
	void namesAndIdsFromMessagesCannotForgeLogLines(CapturedOutput output) {
		TaskMessage forged = TaskMessageBuilder.task("tasks.add\nINFO Task x[y] succeeded").id("id\r\n2").build();
		this.log.taskReceived(forged, "celery");

		assertThat(output.getAll()).contains("Task tasks.add?INFO Task x[y] succeeded[id??2] received");
		this.log.taskReceived(TaskMessageBuilder.task("tasks." + "x".repeat(10_000)).id("log-id-2").build(), "celery");
		assertThat(output.getAll()).contains("Task tasks." + "x".repeat(194) + "...[log-id-2] received")
			.doesNotContain("x".repeat(300));
	}

	@Test
	void switchedOffOnlyFailuresAndRetriesAreLogged(CapturedOutput output) {
		TaskLog quiet = new TaskLog(false, TaskLog.DEFAULT_MAX_RESULT_LENGTH);
		quiet.taskReceived(this.add, "celery");
		quiet.taskSucceeded(this.add, "celery", 5, Duration.ZERO);
		quiet.taskRevoked(this.add, "celery", false, false);
		quiet.taskFailed(this.add, "celery", ExceptionInfo.python("builtins", "ValueError", "boom"), null,
				Duration.ZERO);

		assertThat(output.getAll()).doesNotContain("received", "succeeded", "revoked")
			.contains("Task tasks.add[log-id-1] raised unexpected: ValueError('boom')");
	}

}
