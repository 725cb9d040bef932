package dev.taskqueue.events;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.LamportClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerHeartbeats}: online, a heartbeat every {@code freq}, offline, and
 * what they report.
 */
class WorkerHeartbeatsTests {

	private final RecordingBroadcastTransport transport = new RecordingBroadcastTransport();

	private final EventDispatcher dispatcher = new EventDispatcher(this.transport, "events@test", new LamportClock(),
			new EventDispatcher.Settings("celeryev", 100, 24, Duration.ofMillis(10), Duration.ofSeconds(5)),
			Clock.systemUTC());

	private WorkerHeartbeats heartbeats;

	@AfterEach
	void close() {
		if (this.heartbeats != null) {
			this.heartbeats.stop();
		}
		this.dispatcher.close();
	}

	@Test
	void onlineAtOnceThenAHeartbeatEveryTwoSecondsByDefault() {
		this.heartbeats = new WorkerHeartbeats(this.dispatcher, WorkerHeartbeats.DEFAULT_FREQUENCY, () -> 1, () -> 7);

		this.heartbeats.start();

		await().atMost(Duration.ofSeconds(5)).until(() -> types().contains("worker-heartbeat"));
		Map<String, Object> online = this.transport.events().get(0);
		Map<String, Object> heartbeat = this.transport.events().get(1);
		assertThat(online).containsEntry("type", "worker-online");
		assertThat((Double) heartbeat.get("timestamp") - (Double) online.get("timestamp")).isBetween(1.9, 2.5);
		assertThat(heartbeat).containsEntry("freq", 2.0).containsEntry("active", 1).containsEntry("processed", 7)
			.containsEntry("sw_ident", "taskqueue")
			.containsEntry("sw_sys", SystemInfo.system(System.getProperty("os.name")));
		assertThat((List<?>) heartbeat.get("loadavg")).hasSize(3)
			.allSatisfy((value) -> assertThat(value).isInstanceOf(Double.class));
	}

	@Test
	void heartbeatsKeepTheirCadenceAndStopWithOffline() {
		AtomicInteger active = new AtomicInteger();
		this.heartbeats = new WorkerHeartbeats(this.dispatcher, Duration.ofMillis(200), active::get, () -> 0);
		this.heartbeats.start();
		assertThat(this.heartbeats.isRunning()).isTrue();

		active.set(3);
		await().atMost(Duration.ofSeconds(3)).until(() -> count("worker-heartbeat") >= 5);
		this.heartbeats.stop();
		await().until(() -> types().contains("worker-offline"));
		int sent = this.transport.events().size();
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.transport.events()).hasSize(sent));

		assertThat(this.heartbeats.isRunning()).isFalse();
		List<String> types = types();
		assertThat(types.get(0)).isEqualTo("worker-online");
		assertThat(types.get(types.size() - 1)).isEqualTo("worker-offline");
		List<Double> times = this.transport.events().stream()
			.filter((event) -> "worker-heartbeat".equals(event.get("type")))
			.map((event) -> (Double) event.get("timestamp")).toList();
		for (int i = 1; i < times.size(); i++) {
			assertThat(times.get(i) - times.get(i - 1)).isBetween(0.1, 0.5);
		}
		assertThat(this.transport.events().get(sent - 1)).containsEntry("active", 3).containsEntry("freq", 0.2);
	}

	@Test
	void startAndStopTwiceSendOneOnlineAndOneOffline() {
		this.heartbeats = new WorkerHeartbeats(this.dispatcher, Duration.ofSeconds(60), () -> 0, () -> 0);

		this.heartbeats.start();
		this.heartbeats.start();
		this.heartbeats.stop();
		this.heartbeats.stop();
		this.dispatcher.close();

		assertThat(types()).containsExactly("worker-online", "worker-offline");
	}

	@Test
	void failingSupplierDoesNotStopTheHeartbeats() {
		AtomicInteger calls = new AtomicInteger();
		this.heartbeats = new WorkerHeartbeats(this.dispatcher, Duration.ofMillis(100), () -> {
			if (calls.incrementAndGet() == 2) {
				throw new IllegalStateException("not now");
			}
			return 0;
		}, () -> 0);

		this.heartbeats.start();

		await().atMost(Duration.ofSeconds(3)).until(() -> count("worker-heartbeat") >= 2);
		assertThat(calls.get()).isGreaterThanOrEqualTo(3);
	}

	private List<String> types() {
		return this.transport.events().stream().map((event) -> (String) event.get("type")).toList();
	}

	private long count(String type) {
		return types().stream().filter(type::equals).count();
	}

}
