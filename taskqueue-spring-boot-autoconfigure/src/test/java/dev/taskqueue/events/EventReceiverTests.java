package dev.taskqueue.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.ExchangeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EventReceiver} on the in-memory broker, with Java workers and clients
 * sending.
 */
class EventReceiverTests {

	private static final BroadcastExchange EVENTS = new BroadcastExchange("celeryev", ExchangeType.TOPIC, true);

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	private final ClusterState state = new ClusterState();

	private final LamportClock clock = new LamportClock();

	private final EventDispatcher worker = new EventDispatcher(this.broker, "java@receiver", this.clock,
			new EventDispatcher.Settings("celeryev", 100, 24, Duration.ofMillis(10), Duration.ofSeconds(5)));

	private final EventDispatcher client = new EventDispatcher(this.broker, "gen1@receiver", this.clock);

	@AfterEach
	void close() {
		this.worker.close();
		this.client.close();
	}

	@Test
	void stateShowsJavaWorkerAndItsTasks() {
		AtomicInteger wakeUps = new AtomicInteger();
		try (EventReceiver receiver = new EventReceiver(this.broker, "celeryev", this.state,
				wakeUps::incrementAndGet)) {
			WorkerHeartbeats heartbeats = new WorkerHeartbeats(this.worker, Duration.ofMillis(100), () -> 1, () -> 3);
			TaskEventSender tasks = new TaskEventSender(this.worker, true);
			TaskMessage add = TaskMessageBuilder.task("tasks.add").id("ok-1").args(List.of(2, 3)).build();
			TaskMessage fail = TaskMessageBuilder.task("tasks.fail").id("fail-1").kwargs(Map.of("x", 1)).build();
			heartbeats.start();
			new TaskSentEventSender(this.client).published(add, Destination.queue("celery"), Duration.ZERO);
			tasks.taskReceived(add, "celery");
			tasks.taskStarted(add, "celery");
			tasks.taskSucceeded(add, "celery", 5, Duration.ofMillis(12));
			tasks.taskReceived(fail, "celery");
			tasks.taskStarted(fail, "celery");
			tasks.taskFailed(fail, "celery", ExceptionInfo.python("builtins", "ValueError", "boom"),
					new IllegalArgumentException("boom"), Duration.ofMillis(3));

			await().untilAsserted(() -> {
				assertThat(this.state.task("ok-1")).hasValueSatisfying((task) -> {
					assertThat(task.state()).isEqualTo("SUCCESS");
					assertThat(task.client()).isEqualTo("gen1@receiver");
				});
				assertThat(this.state.task("fail-1")).map(TaskSnapshot::state).hasValue("FAILURE");
				assertThat(this.state.worker("java@receiver")).hasValueSatisfying((java) -> {
					assertThat(java.freq()).isEqualTo(0.1);
					assertThat(java.alive()).isTrue();
				});
			});
			heartbeats.stop();
			assertThat(wakeUps).hasValue(1);
			assertThat(receiver.queueName()).startsWith("celeryev.");
			assertThat(receiver.ignoredCount()).isZero();
			TaskSnapshot ok = this.state.task("ok-1").orElseThrow();
			assertThat(ok.name()).isEqualTo("tasks.add");
			assertThat(ok.args()).isEqualTo("(2, 3)");
			assertThat(ok.result()).isEqualTo("5");
			assertThat(ok.runtime()).isEqualTo(0.012);
			assertThat(ok.worker()).isEqualTo("java@receiver");
			assertThat(this.state.task("fail-1").orElseThrow().exception()).isEqualTo("ValueError('boom')");
			WorkerSnapshot java = this.state.worker("java@receiver").orElseThrow();
			assertThat(java.language()).isEqualTo("Java");
			assertThat(java.processed()).isEqualTo(3);
		}
	}

	@Test
	void malformedBodiesAreSkippedAndCounted() {
		List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
		try (EventReceiver receiver = new EventReceiver(this.broker, "celeryev", events::add, null, 1000)) {
			publish("application/json", "{not json");
			publish("application/x-python-serialize", "{\"type\": \"worker-heartbeat\"}");
			publish("application/json", "[{\"type\": \"task-started\"}, 5]");
			publish("application/json", "{\"type\": 5}");
			publish("application/json", "\"worker-heartbeat\"");
			publish("application/json", "{\"type\": \"worker-heartbeat\", \"pad\": \"" + "x".repeat(1000) + "\"}");
			publish("application/json", "[" + "[".repeat(100) + "]".repeat(100) + "]");
			publish("application/json", "[{\"type\": \"task-received\"}, {\"type\": \"task-started\"}]");
			publish("application/json", "{\"type\": \"worker-heartbeat\", \"hostname\": \"w@h\"}");

			await().until(() -> events.size() == 3);
			assertThat(events).extracting((event) -> event.get("type")).containsExactly("task-received",
					"task-started", "worker-heartbeat");
			assertThat(receiver.ignoredCount()).isEqualTo(7);
			assertThat(receiver.receivedCount()).isEqualTo(3);
		}
	}

	@Test
	void listenerFailuresDoNotStopTheSubscription() {
		List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
		try (EventReceiver receiver = new EventReceiver(this.broker, (event) -> {
			if ("boom".equals(event.get("hostname"))) {
				throw new IllegalStateException("listener fails");
			}
			events.add(event);
		})) {
			publish("application/json", "{\"type\": \"worker-heartbeat\", \"hostname\": \"boom\"}");
			publish("application/json", "{\"type\": \"worker-heartbeat\", \"hostname\": \"ok\"}");

			await().until(() -> events.size() == 1);
			assertThat(events.get(0)).containsEntry("hostname", "ok");
			assertThat(receiver.receivedCount()).isEqualTo(2);
		}
	}

	@Test
	void queueIsDeclaredAsCeleryDeclaresIt() {
		RecordingSubscribe recording = new RecordingSubscribe();
		try (EventReceiver receiver = new EventReceiver(recording, "my-events", (event) -> {
		}, null)) {
			assertThat(recording.exchange).isEqualTo(new BroadcastExchange("my-events", ExchangeType.TOPIC, true));
			assertThat(recording.queue.name()).isEqualTo(receiver.queueName()).matches("celeryev\\.[0-9a-f-]{36}");
			assertThat(recording.queue.bindingKey()).isEqualTo("#");
			assertThat(recording.queue.arguments()).containsExactly(Map.entry("x-message-ttl", 5000),
					Map.entry("x-expires", 60000));
			assertThat(recording.queue.arguments().get("x-expires")).isInstanceOf(Integer.class);
		}
		assertThat(recording.closed).isTrue();
	}

	private void publish(String contentType, String body) {
		this.broker.publish(EVENTS, "task.multi",
				new BroadcastMessage(Map.of("hostname", "x"), contentType, "utf-8",
						body.getBytes(StandardCharsets.UTF_8), false));
	}

	private static final class RecordingSubscribe implements BroadcastTransport {

		private BroadcastExchange exchange;

		private BroadcastQueue queue;

		private boolean closed;

		@Override
		public void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
		}

		@Override
		public Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener) {
			this.exchange = exchange;
			this.queue = queue;
			return () -> this.closed = true;
		}

	}

}
