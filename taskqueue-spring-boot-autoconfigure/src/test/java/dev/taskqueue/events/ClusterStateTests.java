package dev.taskqueue.events;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterState} fed with the events Celery 5.2.6 sent in the captures.
 */
class ClusterStateTests {

	private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_795_281_240));

	private final ClusterState state = new ClusterState(100, 10, this.clock);

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void capturedSequenceShowsEachTaskInItsFinalState(String broker) throws IOException {
		List<String> types = sequence(broker);
		for (String type : types) {
			this.state.accept(event(broker, type));
			this.clock.advance(Duration.ofMillis(10));
		}

		String hostname = "ev" + broker + "@vm";
		Map<String, Object> received = event(broker, "task-received");
		TaskSnapshot add = this.state.task((String) received.get("uuid")).orElseThrow();
		assertThat(add.state()).isEqualTo("SUCCESS");
		assertThat(add.name()).isEqualTo("labapp.add");
		assertThat(add.args()).isEqualTo("(2, 3)");
		assertThat(add.kwargs()).isEqualTo("{}");
		assertThat(add.result()).isEqualTo("5");
		assertThat(add.runtime()).isPositive();
		assertThat(add.retries()).isZero();
		assertThat(add.worker()).isEqualTo(hostname);
		assertThat(add.client()).startsWith("gen");
		assertThat(add.routingKey()).isEqualTo("celery");
		assertThat(add.rootId()).isEqualTo(add.uuid());
		assertThat(add.parentId()).isNull();
		assertThat(add.sent()).isBefore(add.received());
		assertThat(add.received()).isBefore(add.started());
		assertThat(add.started()).isBefore(add.succeeded());
		assertThat(add.timestamp()).isEqualTo(add.succeeded());
		TaskSnapshot failed = this.state.task((String) event(broker, "task-failed").get("uuid")).orElseThrow();
		assertThat(failed.state()).isEqualTo("FAILURE");
		assertThat(failed.exception()).isEqualTo("ValueError('boom')");
		assertThat(failed.traceback()).contains("ValueError");
		assertThat(failed.failed()).isNotNull();
		TaskSnapshot retried = this.state.task((String) event(broker, "task-retried").get("uuid")).orElseThrow();
		assertThat(retried.state()).isEqualTo("RETRY");
		assertThat(retried.exception()).isEqualTo("ValueError('flaky attempt 0')");
		assertThat(retried.retried()).isNotNull();
		WorkerSnapshot worker = this.state.worker(hostname).orElseThrow();
		assertThat(worker.offline()).isTrue();
		assertThat(worker.alive()).isFalse();
		assertThat(worker.language()).isEqualTo("Python");
		assertThat(worker.swIdent()).isEqualTo("py-celery");
		assertThat(worker.swVer()).isEqualTo("5.2.6");
		assertThat(worker.freq()).isEqualTo(2.0);
		assertThat(this.state.taskTypes()).containsExactly("labapp.add");
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "amqp" })
	void workerIsAliveUntilTwiceItsFrequencyAfterItsLastHeartbeat(String broker) {
		this.state.accept(event(broker, "worker-online"));
		this.clock.advance(Duration.ofSeconds(1));
		this.state.accept(event(broker, "worker-heartbeat"));
		String hostname = "ev" + broker + "@vm";

		WorkerSnapshot worker = this.state.worker(hostname).orElseThrow();
		assertThat(worker.alive()).isTrue();
		assertThat(worker.lastHeartbeat()).isEqualTo(this.clock.instant());
		assertThat(worker.lastHeartbeatTimestamp())
			.isEqualTo(EventTimestamps.timestamp(event(broker, "worker-heartbeat")));
		assertThat(worker.pid()).isPositive();
		assertThat(worker.loadavg()).hasSize(3);
		assertThat(worker.swSys()).isEqualTo("Linux");
		this.clock.advance(Duration.ofMillis(3999));
		assertThat(this.state.worker(hostname).orElseThrow().alive()).isTrue();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.state.worker(hostname).orElseThrow().alive()).isFalse();
		assertThat(this.state.workers()).extracting(WorkerSnapshot::hostname).containsExactly(hostname);
	}

	@Test
	void workerOfflineIsKeptAsNotAlive() {
		this.state.accept(event("redis", "worker-online"));
		this.state.accept(event("redis", "worker-offline"));

		WorkerSnapshot worker = this.state.worker("evredis@vm").orElseThrow();
		assertThat(worker.alive()).isFalse();
		assertThat(worker.offline()).isTrue();
		this.state.accept(event("redis", "task-started"));
		assertThat(this.state.worker("evredis@vm").orElseThrow().alive()).isTrue();
		assertThat(this.state.worker("evredis@vm").orElseThrow().offline()).isFalse();
	}

	@Test
	void outOfOrderEventsDoNotMoveSuccessBack() {
		this.state.accept(event("amqp", "task-succeeded"));
		this.state.accept(event("amqp", "task-started"));
		this.state.accept(event("amqp", "task-received"));
		this.state.accept(event("amqp", "task-sent"));

		TaskSnapshot task = this.state.task("63ea627e-3840-43c8-b631-430840a9eaac").orElseThrow();
		assertThat(task.state()).isEqualTo("SUCCESS");
		assertThat(task.result()).isEqualTo("5");
		assertThat(task.name()).isEqualTo("labapp.add");
		assertThat(task.args()).isEqualTo("(2, 3)");
		assertThat(task.started()).isNotNull();
		assertThat(task.received()).isNotNull();
		assertThat(task.timestamp()).isEqualTo(task.succeeded());
	}

	@Test
	void receivedFieldsWinOverLaterEventsWhenReceivedArrivesLate() {
		Map<String, Object> started = event("redis", "task-started");
		started.put("name", "wrong.name");
		this.state.accept(started);
		this.state.accept(event("redis", "task-received"));

		TaskSnapshot task = this.state.task((String) started.get("uuid")).orElseThrow();
		assertThat(task.state()).isEqualTo("STARTED");
		assertThat(task.name()).isEqualTo("labapp.add");
	}

	@Test
	void retryIsAlwaysApplied() {
		Map<String, Object> started = event("redis", "task-started");
		Map<String, Object> retried = event("redis", "task-retried");
		retried.put("uuid", started.get("uuid"));
		this.state.accept(started);
		this.state.accept(retried);
		assertThat(this.state.task((String) started.get("uuid")).orElseThrow().state()).isEqualTo("RETRY");
		this.state.accept(event("redis", "task-started"));
		assertThat(this.state.task((String) started.get("uuid")).orElseThrow().state()).isEqualTo("STARTED");
	}

	@Test
	void revokedSetsItsTimestampAndState() {
		Map<String, Object> revoked = new LinkedHashMap<>(Map.of("type", "task-revoked", "uuid", "r-1", "hostname",
				"w@h", "timestamp", 1_795_281_241.5, "utcoffset", 0, "terminated", true, "expired", false));
		this.state.accept(event("redis", "task-received"));
		revoked.put("uuid", event("redis", "task-received").get("uuid"));
		this.state.accept(revoked);

		TaskSnapshot task = this.state.task((String) revoked.get("uuid")).orElseThrow();
		assertThat(task.state()).isEqualTo("REVOKED");
		assertThat(task.revoked()).isEqualTo(Instant.ofEpochSecond(1_795_281_241, 500_000_000));
		assertThat(task.worker()).isEqualTo("w@h");
	}

	@Test
	void timestampsAreNormalisedWithTheSendersUtcoffset() {
		ClusterState here = new ClusterState(10, 10, Clock.fixed(this.clock.instant(), ZoneOffset.ofHours(1)));
		Map<String, Object> received = event("redis", "task-received");
		received.put("utcoffset", 5);
		here.accept(received);

		double sent = ((Number) received.get("timestamp")).doubleValue();
		TaskSnapshot task = here.task((String) received.get("uuid")).orElseThrow();
		assertThat(task.received()).isEqualTo(EventTimestamps.timestamp(Map.of("timestamp", sent - 6 * 3600)));
	}

	@Test
	void maxTasksDropsTheFirstSeen() {
		ClusterState small = new ClusterState(3, 10, this.clock);
		for (int i = 0; i < 5; i++) {
			Map<String, Object> received = event("redis", "task-received");
			received.put("uuid", "t-" + i);
			small.accept(received);
		}
		assertThat(small.task("t-0")).isEmpty();
		assertThat(small.task("t-1")).isEmpty();
		assertThat(small.tasks(TaskQuery.all())).extracting(TaskSnapshot::uuid).containsExactlyInAnyOrder("t-2",
				"t-3", "t-4");
	}

	@Test
	void maxWorkersDropsTheLongestSilent() {
		ClusterState small = new ClusterState(10, 2, this.clock);
		for (String name : List.of("a@h", "b@h", "c@h")) {
			Map<String, Object> heartbeat = event("redis", "worker-heartbeat");
			heartbeat.put("hostname", name);
			small.accept(heartbeat);
			this.clock.advance(Duration.ofSeconds(1));
		}
		assertThat(small.workers()).extracting(WorkerSnapshot::hostname).containsExactly("b@h", "c@h");
	}

	@Test
	void tasksAreFilteredSortedAndPagedAsFlowerDoes() {
		received("t-1", "tasks.add", "w1@h", 100);
		received("t-2", "tasks.mul", "w2@h", 300);
		received("t-3", "tasks.add", "w2@h", 200);
		Map<String, Object> started = new LinkedHashMap<>(
				Map.of("type", "task-started", "uuid", "t-1", "hostname", "w1@h", "timestamp", 400.0));
		this.state.accept(started);

		assertThat(this.state.tasks(TaskQuery.all())).extracting(TaskSnapshot::uuid).containsExactly("t-2", "t-3",
				"t-1");
		assertThat(this.state.tasks(TaskQuery.all().page(1, 1))).extracting(TaskSnapshot::uuid)
			.containsExactly("t-3");
		assertThat(this.state.tasks(TaskQuery.all().filter("w2@h", null, null))).extracting(TaskSnapshot::uuid)
			.containsExactly("t-2", "t-3");
		assertThat(this.state.tasks(TaskQuery.all().filter(null, "tasks.add", null)))
			.extracting(TaskSnapshot::uuid).containsExactly("t-3", "t-1");
		assertThat(this.state.tasks(TaskQuery.all().filter(null, null, "STARTED"))).extracting(TaskSnapshot::uuid)
			.containsExactly("t-1");
		assertThat(this.state.tasks(TaskQuery.all()
			.receivedBetween(Instant.ofEpochSecond(150), Instant.ofEpochSecond(300)))).extracting(TaskSnapshot::uuid)
			.containsExactly("t-3");
		assertThat(this.state.tasks(TaskQuery.all().sorted(TaskQuery.SortBy.RECEIVED, false)))
			.extracting(TaskSnapshot::uuid).containsExactly("t-1", "t-3", "t-2");
		assertThat(this.state.tasks(TaskQuery.all().sorted(TaskQuery.SortBy.STARTED, true)))
			.extracting(TaskSnapshot::uuid).startsWith("t-1");
		assertThat(this.state.tasks(TaskQuery.all().sorted(TaskQuery.SortBy.NAME, false)))
			.extracting(TaskSnapshot::name).containsExactly("tasks.add", "tasks.add", "tasks.mul");
		assertThat(this.state.tasks(TaskQuery.all().sorted(TaskQuery.SortBy.STATE, false)))
			.extracting(TaskSnapshot::state).containsExactly("RECEIVED", "RECEIVED", "STARTED");
		assertThat(this.state.taskTypes()).containsExactly("tasks.add", "tasks.mul");
	}

	@Test
	void listenersSeeEachChangeAndTheirFailuresAreContained() throws Exception {
		List<ClusterChange> changes = new ArrayList<>();
		this.state.subscribe((change) -> {
			throw new IllegalStateException("listener fails");
		});
		AutoCloseable subscription = this.state.subscribe(changes::add);
		this.state.accept(event("redis", "worker-online"));
		this.state.accept(event("redis", "task-received"));
		this.state.accept(Map.of("type", "task-received"));
		subscription.close();
		this.state.accept(event("redis", "task-started"));

		assertThat(changes).extracting(ClusterChange::type).containsExactly("worker-online", "task-received");
		assertThat(changes.get(0).worker().hostname()).isEqualTo("evredis@vm");
		assertThat(changes.get(1).task().state()).isEqualTo("RECEIVED");
		assertThat(changes.get(1).worker().alive()).isTrue();
	}

	@Test
	void longFieldsAreTruncated() {
		Map<String, Object> failed = event("redis", "task-failed");
		failed.put("traceback", "x".repeat(TaskRecord.MAX_FIELD_LENGTH + 10));
		this.state.accept(failed);

		String traceback = this.state.task((String) failed.get("uuid")).orElseThrow().traceback();
		assertThat(traceback).hasSize(TaskRecord.MAX_FIELD_LENGTH + 3).endsWith("x...");
	}

	@Test
	void eventsWithMissingOrWrongFieldsChangeNothing() {
		this.state.accept(Map.of("type", "worker-heartbeat"));
		this.state.accept(Map.of("type", "task-succeeded", "uuid", 5, "hostname", "w@h"));
		this.state.accept(Map.of("type", "nonsense"));
		this.state.accept(Map.of("type", "worker-heartbeat", "hostname", "w@h", "timestamp", "soon", "freq", "x"));

		assertThat(this.state.tasks(TaskQuery.all())).isEmpty();
		assertThat(this.state.worker("w@h").orElseThrow().alive()).isFalse();
	}

	private void received(String uuid, String name, String worker, long timestamp) {
		this.state.accept(new LinkedHashMap<>(Map.of("type", "task-received", "uuid", uuid, "name", name, "hostname",
				worker, "timestamp", (double) timestamp, "utcoffset", 0)));
		this.clock.advance(Duration.ofMillis(1));
	}

	static Map<String, Object> event(String broker, String type) {
		return new LinkedHashMap<>(EventFixtures.load(broker, type).event());
	}

	// the event types of the capture's scenario, each one as the capture of its type shows it
	private static List<String> sequence(String broker) throws IOException {
		String path = "/celery-fixtures/events/" + broker + "/_sequence.json";
		try (InputStream in = ClusterStateTests.class.getResourceAsStream(path)) {
			Map<String, Object> sequence = EventFixtures.map(CeleryJson.newMapper().readValue(in, Object.class));
			return ((List<?>) sequence.get("event_types_in_order")).stream().map(String::valueOf)
				.filter((type) -> !type.startsWith("batch["))
				.map((type) -> type.replace("  in-batch:", ""))
				.toList();
		}
	}

}
