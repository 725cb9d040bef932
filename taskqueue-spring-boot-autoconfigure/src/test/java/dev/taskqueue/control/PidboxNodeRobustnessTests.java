package dev.taskqueue.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.routing.ExchangeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link PidboxNode} ignores malformed requests, is never blocked by a slow command and
 * drops requests beyond its backlog.
 */
@ExtendWith(OutputCaptureExtension.class)
class PidboxNodeRobustnessTests {

	private static final BroadcastExchange PIDBOX = new BroadcastExchange("celery.pidbox", ExchangeType.FANOUT, false);

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	private final AtomicInteger counted = new AtomicInteger();

	private final CountDownLatch release = new CountDownLatch(1);

	private final Map<String, ControlCommand> commands = Map.of("ping", (arguments) -> Map.of("ok", "pong"), "count",
			(arguments) -> this.counted.incrementAndGet(), "slow", (arguments) -> {
				try {
					return this.release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			});

	private final PidboxNode node = new PidboxNode(this.broker, new LamportClock(), "w1@robust", this.commands);

	private final TaskQueueControl control = new TaskQueueControl(this.broker, new LamportClock())
		.timeout(Duration.ofSeconds(5));

	@AfterEach
	void close() {
		this.release.countDown();
		this.node.close();
	}

	@Test
	void malformedRequestsAreLoggedAndIgnored(CapturedOutput output) {
		this.node.start();
		String big = "{\"method\": \"count\", \"arguments\": {\"x\": \"" + "x".repeat(PidboxCodec.MAX_BODY_SIZE) + "\"}}";
		publish("application/x-python-serialize", "{\"method\": \"count\"}");
		publish("application/x-yaml", "{\"method\": \"count\"}");
		publish("application/json", big);
		publish("application/json", "{\"method\": \"count\", \"arguments\": [1, 2]}");
		publish("application/json", "{\"arguments\": {}}");
		publish("application/json", "{\"method\": \"count\", \"pattern\": \"(\", \"matcher\": \"pcre\"}");
		publish("application/json", "not json at all");
		assertThat(this.control.destination("w1@robust").broadcast("count", Map.of(), true, Duration.ofSeconds(5), null))
			.containsExactly(Map.entry("w1@robust", 1));
		assertThat(this.counted).hasValue(1);
		assertThat(output).contains("only application/json", "bytes refused", "'arguments' of 'count' must be an object",
				"'method' must be a string", "is invalid", "body is no JSON");
		assertThat(output.toString().lines().filter((line) -> line.contains("xxxxxxxxxx")).toList()).isEmpty();
	}

	@Test
	void slowCommandBlocksNeitherTheTransportNorOtherNodes() {
		try (PidboxNode other = new PidboxNode(this.broker, new LamportClock(), "w2@robust", this.commands)) {
			this.node.start();
			other.start();
			this.control.destination("w1@robust").broadcast("slow", Map.of(), false, Duration.ofSeconds(1), null);
			assertThat(this.control.timeout(Duration.ofMillis(500)).ping()).containsOnlyKeys("w2@robust");
			this.release.countDown();
			assertThat(this.control.destination("w1@robust").ping()).containsOnlyKeys("w1@robust");
		}
	}

	@Test
	void requestsBeyondTheBacklogAreDropped(CapturedOutput output) {
		this.node.start();
		this.control.broadcast("slow", Map.of(), false, Duration.ofSeconds(1), null);
		for (int i = 0; i < PidboxNode.BACKLOG + 5; i++) {
			this.control.broadcast("count", Map.of(), false, Duration.ofSeconds(1), null);
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> output.toString().lines().filter((line) -> line.contains("dropped by w1@robust")).count() == 5);
		this.release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.counted.get() == PidboxNode.BACKLOG);
		assertThat(output).contains("Remote-control command 'count' dropped by w1@robust: 100 commands wait already");
	}

	@Test
	void startIsIdempotentAndCloseStops() {
		this.node.start();
		this.node.start();
		assertThat(this.node.isRunning()).isTrue();
		assertThat(this.control.destination("w1@robust").ping()).containsOnlyKeys("w1@robust");
		this.node.close();
		this.node.close();
		assertThat(this.control.timeout(Duration.ofMillis(300)).ping()).isEmpty();
	}

	private void publish(String contentType, String body) {
		this.broker.publish(PIDBOX, "", new BroadcastMessage(Map.of("clock", List.of()), contentType, "utf-8",
				body.getBytes(StandardCharsets.UTF_8), true));
	}

}
