package dev.taskqueue.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.routing.ExchangeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Round trips between {@link TaskQueueControl} and {@link PidboxNode}s on the in-memory
 * broker.
 */
class PidboxRoundTripTests {

	private static final Duration SHORT = Duration.ofMillis(300);

	private final AtomicInteger replies = new AtomicInteger();

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec()) {

		@Override
		public void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message) {
			if (exchange.name().equals("reply.celery.pidbox")) {
				PidboxRoundTripTests.this.replies.incrementAndGet();
			}
			super.publish(exchange, routingKey, message);
		}

	};

	private final LamportClock clientClock = new LamportClock();

	private final LamportClock nodeClock = new LamportClock();

	private final AtomicInteger shutdowns = new AtomicInteger();

	private final Map<String, ControlCommand> commands = Map.of("ping", (arguments) -> Map.of("ok", "pong"),
			"echo", (arguments) -> arguments, "fail", (arguments) -> {
				throw new ControlCommandException("ValueError", "bad 'value'");
			}, "crash", (arguments) -> {
				throw new IllegalStateException("boom");
			}, "shutdown", (arguments) -> {
				this.shutdowns.incrementAndGet();
				return null;
			}, "nothing", (arguments) -> null);

	private final PidboxNode w1 = new PidboxNode(this.broker, this.nodeClock, "w1@test", this.commands);

	private final PidboxNode w2 = new PidboxNode(this.broker, new LamportClock(), "w2@test", this.commands);

	private final TaskQueueControl control = new TaskQueueControl(this.broker, this.clientClock).timeout(SHORT);

	@AfterEach
	void close() {
		this.w1.close();
		this.w2.close();
	}

	@Test
	void everyNodeAnswersPing() {
		start();
		Map<String, ControlReply> replies = this.control.inspect().ping();
		assertThat(replies).containsOnlyKeys("w1@test", "w2@test");
		assertThat(replies.get("w1@test").ok()).isEqualTo("pong");
		assertThat(replies.get("w1@test").isOk()).isTrue();
		assertThat(this.control.ping()).containsOnlyKeys("w1@test", "w2@test");
	}

	@Test
	void destinationAddressesTheNamedNodesAndStopsWaitingOnceTheyReplied() {
		start();
		long start = System.nanoTime();
		Map<String, ControlReply> replies = this.control.timeout(Duration.ofSeconds(20)).destination("w2@test").ping();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(replies).containsOnlyKeys("w2@test");
		assertThat(this.control.inspect(SHORT).destination("w1@test", "nobody@test").ping()).containsOnlyKeys("w1@test");
	}

	@Test
	void patternsAddressTheMatchingNodes() {
		start();
		assertThat(this.control.matching("w2@*", "glob").ping()).containsOnlyKeys("w2@test");
		assertThat(this.control.matching("w[12]@test", "glob").ping()).containsOnlyKeys("w1@test", "w2@test");
		assertThat(this.control.matching("w1", "pcre").ping()).containsOnlyKeys("w1@test");
		assertThat(this.control.matching("test", "pcre").ping()).isEmpty();
		assertThat(this.control.inspect().matching("*1@test", "glob").ping()).containsOnlyKeys("w1@test");
	}

	@Test
	void unknownCommandIsAnsweredWithKeyError() {
		start();
		Map<String, Object> replies = this.control.broadcast("nosuchcmd", Map.of(), true, SHORT, List.of("w1@test"));
		assertThat(replies).containsExactly(Map.entry("w1@test", Map.of("error", "KeyError('nosuchcmd')")));
	}

	@Test
	void failedCommandsAreAnsweredWithTheirRepr() {
		start();
		assertThat(this.control.broadcast("fail", Map.of(), true, SHORT, List.of("w1@test")))
			.containsExactly(Map.entry("w1@test", Map.of("error", "ValueError(\"bad 'value'\")")));
		assertThat(this.control.broadcast("crash", Map.of(), true, SHORT, List.of("w1@test")))
			.containsExactly(Map.entry("w1@test", Map.of("error", "IllegalStateException('boom')")));
		assertThat(this.control.destination("w1@test").broadcast("fail", Map.of(), true, SHORT, null))
			.containsOnlyKeys("w1@test");
	}

	@Test
	void argumentsReachTheCommandAndNullIsReplied() {
		start();
		assertThat(this.control.broadcast("echo", Map.of("n", 2, "names", List.of("a")), true, SHORT,
				List.of("w1@test")))
			.containsExactly(Map.entry("w1@test", Map.of("n", 2, "names", List.of("a"))));
		Map<String, Object> nothing = this.control.broadcast("nothing", Map.of(), true, SHORT, List.of("w1@test"));
		assertThat(nothing).containsOnlyKeys("w1@test").containsEntry("w1@test", null);
	}

	@Test
	void shutdownIsNeverAnswered() {
		start();
		assertThat(this.control.broadcast("shutdown", Map.of(), true, SHORT, List.of("w1@test"))).isEmpty();
		this.control.destination("w2@test").shutdownWorkers();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.shutdowns.get() == 2);
		assertThat(this.replies).hasValue(0);
	}

	@Test
	void castIsRunWithoutReply() {
		start();
		assertThat(this.control.broadcast("nothing", Map.of(), false, SHORT, null)).isEmpty();
		this.control.shutdownWorkers();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.shutdowns.get() == 2);
		assertThat(this.replies).hasValue(0);
	}

	@Test
	void repliesWithAnotherTicketAreIgnored() {
		BroadcastExchange replies = new BroadcastExchange("reply.celery.pidbox", ExchangeType.DIRECT, false);
		PidboxCodec codec = new PidboxCodec();
		try (Subscription fake = this.broker.subscribe(
				new BroadcastExchange("celery.pidbox", ExchangeType.FANOUT, false),
				new BroadcastQueue("fake@test.celery.pidbox", "", Map.of()), (key, message) -> {
					PidboxRequest request = codec.decodeRequest(message);
					String oid = request.replyTo().routingKey();
					this.broker.publish(replies, oid, codec.encodeReply("stale@test", "old", "another-ticket", 1));
					this.broker.publish(replies, oid, codec.encodeReply("none@test", "old", null, 1));
					this.broker.publish(replies, oid, new BroadcastMessage(Map.of("ticket", request.ticket()),
							"application/x-python-serialize", "binary", new byte[] { 1 }, false));
					this.broker.publish(replies, oid, codec.encodeReply("fake@test", "new", request.ticket(), 1));
				})) {
			assertThat(this.control.broadcast("ping", Map.of(), true, SHORT, null))
				.containsExactly(Map.entry("fake@test", "new"));
		}
	}

	@Test
	void clocksTickAsCelerys() {
		start();
		this.control.destination("w1@test").ping();
		// client sends 1; the node forwards (1), adjusts (2) and replies with forward (3), as captured
		assertThat(this.nodeClock.value()).isEqualTo(3);
		assertThat(this.clientClock.value()).isEqualTo(4);
		this.clientClock.adjust(100);
		this.control.destination("w1@test").ping();
		assertThat(this.nodeClock.value()).isGreaterThan(100);
		this.nodeClock.adjust(500);
		this.control.destination("w1@test").ping();
		assertThat(this.clientClock.value()).isGreaterThan(500);
	}

	@Test
	void nothingIsReceivedOnceClosed() {
		start();
		this.w1.close();
		assertThat(this.w1.isRunning()).isFalse();
		assertThat(this.control.ping()).containsOnlyKeys("w2@test");
	}

	@Test
	void theNodesQueueIsCelerys() {
		BroadcastQueue[] bound = new BroadcastQueue[1];
		BroadcastExchange[] exchange = new BroadcastExchange[1];
		InMemoryBroker recording = new InMemoryBroker(new JsonMessageCodec()) {

			@Override
			public Subscription subscribe(BroadcastExchange to, BroadcastQueue queue, BroadcastListener listener) {
				exchange[0] = to;
				bound[0] = queue;
				return super.subscribe(to, queue, listener);
			}

		};
		try (PidboxNode node = new PidboxNode(recording, new LamportClock(), "celery@host", "myapp", Map.of())) {
			node.start();
			assertThat(exchange[0]).isEqualTo(new BroadcastExchange("myapp.pidbox", ExchangeType.FANOUT, false));
			assertThat(bound[0].name()).isEqualTo("celery@host.myapp.pidbox");
			assertThat(bound[0].bindingKey()).isEmpty();
			assertThat(bound[0].arguments()).containsExactly(Map.entry("x-expires", 10000),
					Map.entry("x-message-ttl", 300000));
		}
	}

	private void start() {
		this.w1.start();
		this.w2.start();
	}

}
