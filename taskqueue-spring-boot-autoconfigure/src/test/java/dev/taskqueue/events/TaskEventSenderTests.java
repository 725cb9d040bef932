package dev.taskqueue.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskEventSender}: the switch of Celery's {@code -E},
 * {@code enable_events} and {@code disable_events}, the heartbeat a monitor asks for, and
 * the fields of the task events without a capture.
 */
class TaskEventSenderTests {

	private final RecordingBroadcastTransport transport = new RecordingBroadcastTransport();

	private final EventDispatcher dispatcher = new EventDispatcher(this.transport, "events@test", new LamportClock(),
			new EventDispatcher.Settings("celeryev", 100, 24, Duration.ofMillis(10), Duration.ofSeconds(5)),
			Clock.systemUTC());

	private final TaskMessage add = TaskMessageBuilder.task("tasks.add").id("id-1").args(List.of(2, 3)).build();

	TaskEventSenderTests() {
		this.dispatcher.start();
	}

	@AfterEach
	void close() {
		this.dispatcher.close();
	}

	@Test
	void nothingIsSentForTasksWhileDisabled() {
		TaskEventSender sender = new TaskEventSender(this.dispatcher, false);

		everyEvent(sender);
		this.dispatcher.send("worker-heartbeat", Map.of());

		await().until(() -> !this.transport.published().isEmpty());
		this.dispatcher.close();
		assertThat(this.transport.events()).extracting((event) -> event.get("type"))
			.containsExactly("worker-heartbeat");
		assertThat(sender.isEnabled()).isFalse();
	}

	@Test
	void enableAndDisableSwitchTaskEventsAtRunTime() {
		TaskEventSender sender = new TaskEventSender(this.dispatcher, false);

		assertThat(sender.enableTaskEvents()).isTrue();
		assertThat(sender.enableTaskEvents()).isFalse();
		sender.taskStarted(this.add, "celery");
		await().until(() -> this.transport.events().size() == 1);
		assertThat(sender.disableTaskEvents()).isTrue();
		assertThat(sender.disableTaskEvents()).isFalse();
		sender.taskStarted(this.add, "celery");
		this.dispatcher.close();

		assertThat(this.transport.events()).hasSize(1);
		assertThat(this.transport.events().get(0)).containsEntry("type", "task-started").containsEntry("uuid", "id-1");
	}

	@Test
	void everyTaskEventIsBatchedWhenEnabled() {
		TaskEventSender sender = new TaskEventSender(this.dispatcher, true);

		everyEvent(sender);
		this.dispatcher.close();

		assertThat(this.transport.published()).allSatisfy((message) -> {
			assertThat(message.routingKey()).isEqualTo("task.multi");
			assertThat(message.body()).isInstanceOf(List.class);
		});
		assertThat(this.transport.events()).extracting((event) -> event.get("type")).containsExactly("task-received",
				"task-started", "task-succeeded", "task-failed", "task-retried", "task-revoked", "task-rejected");
	}

	@Test
	void requestedHeartbeatHasFrequencyFiveAndTheSoftware() {
		TaskEventSender sender = new TaskEventSender(this.dispatcher, false);

		sender.sendHeartbeat();

		await().until(() -> this.transport.published().size() == 1);
		assertThat(this.transport.published().get(0).routingKey()).isEqualTo("worker.heartbeat");
		Map<String, Object> event = this.transport.events().get(0);
		assertThat(event.keySet()).containsExactly("hostname", "utcoffset", "pid", "clock", "freq", "sw_ident",
				"sw_ver", "sw_sys", "timestamp", "type");
		assertThat(event).containsEntry("freq", 5).containsEntry("sw_ident", "taskqueue");
	}

	@Test
	void revokedRejectedAndEtaFieldsAsCelery() {
		TaskEventSender sender = new TaskEventSender(this.dispatcher, true);
		TaskMessage later = TaskMessageBuilder.task("tasks.add").id("id-2").args(List.of(1))
			.eta(Instant.parse("2026-11-21T17:08:35.434804Z")).expires(Instant.parse("2026-11-21T18:00:00Z"))
			.build();

		sender.taskReceived(later, "celery");
		sender.taskRevoked(this.add, "celery", false, true);
		sender.taskRevoked(this.add, "celery", true, false);
		sender.taskRejected(this.add, "celery", "bad");
		sender.taskRejected(null, "celery", "unreadable");
		this.dispatcher.close();

		List<Map<String, Object>> events = this.transport.events();
		assertThat(events).hasSize(4);
		assertThat(events.get(0)).containsEntry("args", "(1,)").containsEntry("kwargs", "{}")
			.containsEntry("eta", "2026-11-21T17:08:35.434804+00:00")
			.containsEntry("expires", "2026-11-21T18:00:00.000000+00:00").containsEntry("retries", 0)
			.containsEntry("root_id", "id-2").containsEntry("parent_id", null);
		assertThat(EventFixtures.shape(events.get(1))).containsSubsequence("uuid:str", "terminated:bool",
				"signum:None", "expired:bool", "timestamp:float", "type:str");
		assertThat(events.get(1)).containsEntry("terminated", false).containsEntry("expired", true);
		assertThat(events.get(2)).containsEntry("terminated", true).containsEntry("signum", 15)
			.containsEntry("expired", false);
		assertThat(EventFixtures.shape(events.get(3))).containsSubsequence("uuid:str", "requeue:bool",
				"timestamp:float");
		assertThat(events.get(3)).containsEntry("requeue", false);
	}

	@Test
	void resultsAndArgumentsAreReprsOfBoundedSize() {
		TaskEventSender sender = new TaskEventSender(this.dispatcher, true);
		TaskMessage big = TaskMessageBuilder.task("tasks.big").id("id-3")
			.args(List.of(String.join("", Collections.nCopies(5000, "x ")))).build();

		sender.taskReceived(big, "celery");
		sender.taskSucceeded(this.add, "celery", "done", Duration.ofMillis(1500));
		sender.taskSucceeded(this.add, "celery", Collections.nCopies(5000, 7), Duration.ZERO);
		sender.taskSucceeded(this.add, "celery", null, Duration.ZERO);
		this.dispatcher.close();

		List<Map<String, Object>> events = this.transport.events();
		assertThat((String) events.get(0).get("args")).hasSizeLessThan(1100).startsWith("('x x x")
			.endsWith("...', ...");
		assertThat(events.get(1)).containsEntry("result", "'done'").containsEntry("runtime", 1.5);
		assertThat((String) events.get(2).get("result")).hasSizeLessThan(1100).startsWith("[7, 7").endsWith(", ...]");
		assertThat(events.get(3)).containsEntry("result", "None");
	}

	@Test
	void failureCarriesTheExceptionReprAndTheJavaTraceback() {
		TaskEventSender sender = new TaskEventSender(this.dispatcher, true);

		sender.taskFailed(this.add, "celery", ExceptionInfo.of(new IllegalStateException("boom")),
				new IllegalStateException("boom"), Duration.ZERO);
		sender.taskFailed(this.add, "celery", ExceptionInfo.python("celery.exceptions", "TimeLimitExceeded", "5"),
				null, Duration.ZERO);
		this.dispatcher.close();

		List<Map<String, Object>> events = this.transport.events();
		assertThat(events.get(0)).containsEntry("exception", "IllegalStateException('boom')");
		assertThat((String) events.get(0).get("traceback")).startsWith("java.lang.IllegalStateException: boom")
			.contains("at dev.taskqueue.events.TaskEventSenderTests");
		assertThat(events.get(1)).containsEntry("exception", "TimeLimitExceeded('5')")
			.containsEntry("traceback", "TimeLimitExceeded: 5\n");
	}

	private void everyEvent(TaskEventSender sender) {
		ExceptionInfo boom = ExceptionInfo.python("builtins", "ValueError", "boom");
		sender.taskReceived(this.add, "celery");
		sender.taskStarted(this.add, "celery");
		sender.taskSucceeded(this.add, "celery", 5, Duration.ofMillis(1));
		sender.taskFailed(this.add, "celery", boom, null, Duration.ofMillis(1));
		sender.taskRetried(this.add, "celery", boom, null, Duration.ofMillis(1));
		sender.taskRevoked(this.add, "celery", false, false);
		sender.taskRejected(this.add, "celery", "bad");
	}

}
