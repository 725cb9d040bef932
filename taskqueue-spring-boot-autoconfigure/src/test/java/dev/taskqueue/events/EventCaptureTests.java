package dev.taskqueue.events;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.taskqueue.events.EventFixtures.Captured;
import dev.taskqueue.events.RecordingBroadcastTransport.Published;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.ExchangeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each event type as Java sends it, field by field against what Celery 5.2.6 sent in the
 * captures on Redis and RabbitMQ: the same field names in the same order, the same JSON types,
 * the same routing key and headers, batched in {@code task.multi} where Celery batches.
 */
class EventCaptureTests {

	private final RecordingBroadcastTransport transport = new RecordingBroadcastTransport();

	private final EventDispatcher dispatcher = new EventDispatcher(this.transport, "events@test", new LamportClock(),
			new EventDispatcher.Settings("celeryev", 100, 24, Duration.ofMillis(10), Duration.ofSeconds(5)),
			Clock.systemUTC());

	@AfterEach
	void close() {
		this.dispatcher.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void workerOnlineHeartbeatAndOfflineAsCelery(String broker) {
		WorkerHeartbeats heartbeats = new WorkerHeartbeats(this.dispatcher, Duration.ofMillis(50), () -> 0, () -> 3);
		heartbeats.start();
		await().until(() -> this.transport.published().size() >= 2);
		heartbeats.stop();
		this.dispatcher.close();
		List<Published> published = this.transport.published();
		assertMatches(broker, "worker-online", published.get(0));
		assertMatches(broker, "worker-heartbeat", published.get(1));
		assertMatches(broker, "worker-offline", published.get(published.size() - 1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void taskReceivedAsCelery(String broker) {
		assertTaskEvent(broker, "task-received", (sender, add) -> sender.taskReceived(add, "celery"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void taskStartedAsCelery(String broker) {
		assertTaskEvent(broker, "task-started", (sender, add) -> sender.taskStarted(add, "celery"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void taskSucceededAsCelery(String broker) {
		assertTaskEvent(broker, "task-succeeded",
				(sender, add) -> sender.taskSucceeded(add, "celery", 5, Duration.ofNanos(4_976_014)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void taskFailedAsCelery(String broker) {
		ExceptionInfo boom = ExceptionInfo.python("builtins", "ValueError", "boom");
		assertTaskEvent(broker, "task-failed", (sender, add) -> sender.taskFailed(add, "celery", boom,
				new IllegalStateException("boom"), Duration.ofMillis(3)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void taskRetriedAsCelery(String broker) {
		ExceptionInfo flaky = ExceptionInfo.python("builtins", "ValueError", "flaky attempt 0");
		assertTaskEvent(broker, "task-retried",
				(sender, add) -> sender.taskRetried(add, "celery", flaky, null, Duration.ofMillis(3)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void taskSentAsCelery(String broker) {
		TaskMessage add = capturedAdd(broker, "task-sent");
		new TaskSentEventSender(this.dispatcher).published(add, Destination.queue("celery"), Duration.ZERO);
		this.dispatcher.start();
		await().until(() -> !this.transport.published().isEmpty());
		assertMatches(broker, "task-sent", this.transport.published().get(0));
	}

	// The message of labapp.add((2, 3)) with the id of the captured event.
	private static TaskMessage capturedAdd(String broker, String type) {
		String id = (String) EventFixtures.load(broker, type).event().get("uuid");
		return TaskMessageBuilder.task("labapp.add").id(id).args(List.of(2, 3)).build();
	}

	private void assertTaskEvent(String broker, String type, BiConsumer<TaskEventSender, TaskMessage> send) {
		send.accept(new TaskEventSender(this.dispatcher, true), capturedAdd(broker, type));
		this.dispatcher.start();
		await().until(() -> !this.transport.published().isEmpty());
		assertMatches(broker, type, this.transport.published().get(0));
	}

	private void assertMatches(String broker, String type, Published published) {
		Captured captured = EventFixtures.load(broker, type);
		assertThat(published.routingKey()).isEqualTo(captured.routingKey());
		assertThat(published.message().headers()).containsOnlyKeys(captured.headers().keySet())
			.containsEntry("hostname", this.dispatcher.hostname());
		assertThat(published.message().contentType()).isEqualTo("application/json");
		assertThat(published.message().contentEncoding()).isEqualTo("utf-8");
		assertThat(published.message().persistent()).isFalse();
		assertThat(published.exchange().name()).isEqualTo("celeryev");
		assertThat(published.exchange().type()).isEqualTo(ExchangeType.TOPIC);
		assertThat(published.exchange().durable()).isTrue();
		assertThat(published.body() instanceof List<?>).isEqualTo(captured.batched());
		Map<String, Object> event = published.events().get(0);
		Map<String, Object> expected = captured.event();
		assertThat(EventFixtures.shape(event)).isEqualTo(EventFixtures.shape(expected));
		assertThat(event).containsEntry("type", type).containsEntry("hostname", "events@test")
			.containsEntry("utcoffset", 0)
			.containsEntry("pid", (int) ProcessHandle.current().pid());
		for (String same : List.of("uuid", "name", "args", "kwargs", "root_id", "parent_id", "retries", "eta",
				"expires", "result", "exception", "queue", "exchange", "routing_key", "sw_sys", "active")) {
			if (expected.containsKey(same)) {
				assertThat(event.get(same)).as(same).isEqualTo(expected.get(same));
			}
		}
	}

}
