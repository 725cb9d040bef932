package dev.taskqueue.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.events.RecordingBroadcastTransport.Published;
import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EventDispatcher}: Celery's standard fields and their order, the
 * {@code task.multi} batches, and sending that neither blocks nor throws when the queue is
 * full or the broker is down.
 */
class EventDispatcherTests {

	private static final Instant NOW = Instant.parse("2026-07-01T12:00:00.25Z");

	private final RecordingBroadcastTransport transport = new RecordingBroadcastTransport();

	private final LamportClock clock = new LamportClock();

	private EventDispatcher dispatcher = dispatcher(100, Duration.ofSeconds(10), Clock.systemUTC());

	@AfterEach
	void close() {
		this.transport.release();
		this.dispatcher.close();
	}

	@Test
	void standardFieldsComeFirstThenTheEventsThenTimestampAndType() {
		this.clock.adjust(41);
		this.dispatcher.close();
		this.dispatcher = dispatcher(100, Duration.ofSeconds(10), Clock.fixed(NOW, ZoneOffset.UTC));
		this.dispatcher.start();

		this.dispatcher.send("worker-heartbeat", Map.of("freq", 2.0));

		await().until(() -> this.transport.published().size() == 1);
		Published published = this.transport.published().get(0);
		assertThat(published.routingKey()).isEqualTo("worker.heartbeat");
		Map<String, Object> event = published.events().get(0);
		assertThat(event.keySet()).containsExactly("hostname", "utcoffset", "pid", "clock", "freq", "timestamp",
				"type");
		assertThat(event).containsEntry("hostname", "events@test").containsEntry("clock", 43)
			.containsEntry("timestamp", 1782907200.25).containsEntry("type", "worker-heartbeat");
		assertThat(new String(published.message().body())).startsWith("{\"hostname\": \"events@test\", ");
	}

	@Test
	void utcOffsetIsHoursWestOfUtcRoundedDownAsPython() {
		assertThat(EventFactory.utcOffset(ZoneOffset.UTC, NOW)).isZero();
		assertThat(EventFactory.utcOffset(ZoneOffset.ofHours(1), NOW)).isEqualTo(-1);
		assertThat(EventFactory.utcOffset(ZoneOffset.ofHoursMinutes(5, 30), NOW)).isEqualTo(-6);
		assertThat(EventFactory.utcOffset(ZoneOffset.ofHours(-5), NOW)).isEqualTo(5);
		assertThat(EventFactory.utcOffset(ZoneOffset.ofHoursMinutes(-3, -30), NOW)).isEqualTo(3);
		assertThat(EventFactory.utcOffset(ZoneId.of("Europe/Berlin"), NOW)).isEqualTo(-2);
		assertThat(EventFactory.utcOffset(ZoneId.of("Europe/Berlin"), Instant.parse("2026-01-15T12:00:00Z")))
			.isEqualTo(-1);
	}

	@Test
	void eventsCarryTheUtcOffsetOfTheZone() {
		for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneOffset.ofHours(1), ZoneOffset.ofHoursMinutes(5, 30),
				ZoneOffset.ofHours(-5))) {
			EventFactory factory = new EventFactory("events@test", this.clock, Clock.fixed(NOW, zone));
			assertThat(factory.create("worker-heartbeat", Map.of()).get("utcoffset"))
				.isEqualTo(EventFactory.utcOffset(zone, NOW));
			assertThat(factory.create("worker-heartbeat", Map.of()).get("timestamp")).isEqualTo(1782907200.25);
		}
	}

	@Test
	void fullBatchIsSentAtOnceAsOneTaskMultiMessage() {
		this.dispatcher.start();

		IntStream.range(0, 24).forEach((i) -> this.dispatcher.sendBatched("task-started", Map.of("uuid", "t" + i)));

		await().atMost(Duration.ofSeconds(5)).until(() -> this.transport.published().size() == 1);
		Published batch = this.transport.published().get(0);
		assertThat(batch.routingKey()).isEqualTo("task.multi");
		assertThat(batch.body()).isInstanceOf(List.class);
		assertThat(batch.events()).extracting((event) -> event.get("uuid"))
			.containsExactlyElementsOf(IntStream.range(0, 24).mapToObj((i) -> "t" + i).toList());
		assertThat(batch.events()).extracting((event) -> event.get("clock"))
			.containsExactlyElementsOf(IntStream.rangeClosed(1, 24).boxed().toList());
	}

	@Test
	void partBatchIsSentAfterTheFlushInterval() {
		this.dispatcher.close();
		this.dispatcher = dispatcher(100, Duration.ofMillis(300), Clock.systemUTC());
		this.dispatcher.start();
		long start = System.nanoTime();

		this.dispatcher.sendBatched("task-received", Map.of("uuid", "a"));
		this.dispatcher.sendBatched("task-started", Map.of("uuid", "a"));

		await().atMost(Duration.ofSeconds(5)).until(() -> this.transport.published().size() == 1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
		assertThat(this.transport.published().get(0).events()).extracting((event) -> event.get("type"))
			.containsExactly("task-received", "task-started");
	}

	@Test
	void workerEventsGoAtOnceWhileTaskEventsWaitForTheirBatchAndCloseSendsTheBatch() {
		this.dispatcher.start();

		this.dispatcher.sendBatched("task-started", Map.of("uuid", "a"));
		this.dispatcher.send("worker-heartbeat", Map.of("freq", 2.0));

		await().until(() -> this.transport.published().size() == 1);
		assertThat(this.transport.published().get(0).routingKey()).isEqualTo("worker.heartbeat");
		this.dispatcher.close();
		assertThat(this.transport.published()).extracting(Published::routingKey)
			.containsExactly("worker.heartbeat", "task.multi");
	}

	@Test
	void fullQueueDropsAndCountsWithoutBlocking() {
		this.dispatcher.close();
		this.dispatcher = dispatcher(8, Duration.ofMillis(10), Clock.systemUTC());
		this.dispatcher.start();
		this.transport.hold();
		this.dispatcher.send("worker-heartbeat", Map.of());
		await().until(() -> this.transport.entered() == 1);

		long start = System.nanoTime();
		IntStream.range(0, 100).forEach((i) -> this.dispatcher.send("worker-heartbeat", Map.of("n", i)));

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(this.dispatcher.droppedCount()).isEqualTo(92);
		this.transport.release();
		await().until(() -> this.transport.published().size() == 9);
		assertThat(this.transport.events().get(8)).containsEntry("n", 7);
	}

	@Test
	void taskEventsLeaveRoomInTheQueueForHeartbeats() {
		this.dispatcher.close();
		this.dispatcher = dispatcher(8, Duration.ofMillis(10), Clock.systemUTC());
		this.transport.hold();
		this.dispatcher.send("worker-heartbeat", Map.of());
		await().until(() -> this.transport.entered() == 1);

		IntStream.range(0, 10).forEach((i) -> this.dispatcher.sendBatched("task-started", Map.of("uuid", "t" + i)));
		this.dispatcher.send("worker-heartbeat", Map.of());

		assertThat(this.dispatcher.droppedCount()).isEqualTo(4);
		this.transport.release();
		await().until(() -> this.transport.events().size() == 8);
		assertThat(this.transport.events()).extracting((event) -> event.get("type")).containsExactlyInAnyOrder(
				"worker-heartbeat", "worker-heartbeat", "task-started", "task-started", "task-started", "task-started",
				"task-started", "task-started");
	}

	@Test
	void brokerDownDropsAndCountsAndSendingGoesOnWhenItIsBack() {
		this.dispatcher.start();
		this.transport.down(true);

		this.dispatcher.send("worker-heartbeat", Map.of());
		IntStream.range(0, 24).forEach((i) -> this.dispatcher.sendBatched("task-started", Map.of("uuid", "t" + i)));

		await().until(() -> this.dispatcher.droppedCount() == 25);
		this.transport.down(false);
		this.dispatcher.send("worker-heartbeat", Map.of());
		await().until(() -> this.transport.published().size() == 1);
		assertThat(this.dispatcher.droppedCount()).isEqualTo(25);
	}

	@Test
	void eventsAfterCloseAreDropped() {
		this.dispatcher.start();
		this.dispatcher.close();

		this.dispatcher.send("worker-heartbeat", Map.of());

		assertThat(this.dispatcher.droppedCount()).isOne();
		assertThat(this.transport.published()).isEmpty();
	}

	private EventDispatcher dispatcher(int capacity, Duration flushInterval, Clock wallClock) {
		return new EventDispatcher(this.transport, "events@test", this.clock,
				new EventDispatcher.Settings("celeryev", capacity, 24, flushInterval, Duration.ofSeconds(5)),
				wallClock);
	}

}
