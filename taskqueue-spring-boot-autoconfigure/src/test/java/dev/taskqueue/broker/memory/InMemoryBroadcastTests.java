package dev.taskqueue.broker.memory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.routing.ExchangeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the broadcast exchanges of {@link InMemoryBroker}.
 */
class InMemoryBroadcastTests {

	private static final BroadcastExchange FANOUT = new BroadcastExchange("celery.pidbox", ExchangeType.FANOUT, false);

	private static final BroadcastExchange DIRECT = new BroadcastExchange("reply.celery.pidbox", ExchangeType.DIRECT,
			false);

	private static final BroadcastExchange TOPIC = new BroadcastExchange("celeryev", ExchangeType.TOPIC, true);

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	@Test
	void fanoutReachesEverySubscriptionOfTheExchangeOnly() {
		List<String> first = new CopyOnWriteArrayList<>();
		List<String> second = new CopyOnWriteArrayList<>();
		List<String> other = new CopyOnWriteArrayList<>();
		try (Subscription a = subscribe(FANOUT, "a", "", first); Subscription b = subscribe(FANOUT, "b", "", second);
				Subscription c = subscribe(new BroadcastExchange("other", ExchangeType.FANOUT, false), "c", "", other)) {
			this.broker.publish(FANOUT, "", message("one"));
			this.broker.publish(FANOUT, "any.key", message("two"));
			await().atMost(Duration.ofSeconds(5)).until(() -> first.size() == 2 && second.size() == 2);
			assertThat(first).containsExactly(":one", "any.key:two");
			assertThat(second).containsExactly(":one", "any.key:two");
			assertThat(other).isEmpty();
		}
	}

	@Test
	void directReachesTheQueuesBoundWithTheRoutingKey() {
		List<String> mine = new CopyOnWriteArrayList<>();
		List<String> theirs = new CopyOnWriteArrayList<>();
		try (Subscription a = subscribe(DIRECT, "oid1.reply", "oid1", mine);
				Subscription b = subscribe(DIRECT, "oid2.reply", "oid2", theirs)) {
			this.broker.publish(DIRECT, "oid1", message("for-1"));
			this.broker.publish(DIRECT, "oid3", message("for-nobody"));
			this.broker.publish(DIRECT, "oid2", message("for-2"));
			await().atMost(Duration.ofSeconds(5)).until(() -> theirs.size() == 1);
			assertThat(mine).containsExactly("oid1:for-1");
			assertThat(theirs).containsExactly("oid2:for-2");
		}
	}

	@Test
	void topicMatchesStarAndHash() {
		List<String> all = new CopyOnWriteArrayList<>();
		List<String> workers = new CopyOnWriteArrayList<>();
		List<String> succeeded = new CopyOnWriteArrayList<>();
		try (Subscription a = subscribe(TOPIC, "all", "#", all); Subscription b = subscribe(TOPIC, "w", "worker.#", workers);
				Subscription c = subscribe(TOPIC, "s", "*.succeeded", succeeded)) {
			this.broker.publish(TOPIC, "worker.heartbeat", message("1"));
			this.broker.publish(TOPIC, "task.succeeded", message("2"));
			this.broker.publish(TOPIC, "task.x.succeeded", message("3"));
			this.broker.publish(TOPIC, "worker", message("4"));
			await().atMost(Duration.ofSeconds(5)).until(() -> all.size() == 4);
			assertThat(workers).containsExactly("worker.heartbeat:1", "worker:4");
			assertThat(succeeded).containsExactly("task.succeeded:2");
		}
	}

	@Test
	void topicPatterns() {
		assertThat(TopicPattern.matches("#", "")).isTrue();
		assertThat(TopicPattern.matches("a.#.z", "a.z")).isTrue();
		assertThat(TopicPattern.matches("a.#.z", "a.b.c.z")).isTrue();
		assertThat(TopicPattern.matches("a.*.z", "a.z")).isFalse();
		assertThat(TopicPattern.matches("a.*", "a.b.c")).isFalse();
		assertThat(TopicPattern.matches("#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.x", "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.y"))
			.isFalse();
	}

	@Test
	void closedSubscriptionReceivesNothingMore() {
		List<String> closed = new CopyOnWriteArrayList<>();
		List<String> open = new CopyOnWriteArrayList<>();
		try (Subscription b = subscribe(FANOUT, "b", "", open)) {
			subscribe(FANOUT, "a", "", closed).close();
			this.broker.publish(FANOUT, "", message("after"));
			await().atMost(Duration.ofSeconds(5)).until(() -> open.size() == 1);
			assertThat(closed).isEmpty();
		}
	}

	@Test
	void listenerThatThrowsKeepsItsSubscriptionAndDeliveriesStayInOrder() {
		List<String> received = new CopyOnWriteArrayList<>();
		try (Subscription a = this.broker.subscribe(FANOUT, queue("a", ""), (routingKey, message) -> {
			String text = new String(message.body(), StandardCharsets.UTF_8);
			received.add(text);
			if (text.equals("boom")) {
				throw new IllegalStateException("listener failed");
			}
		})) {
			for (String text : List.of("1", "boom", "2", "3", "4")) {
				this.broker.publish(FANOUT, "", message(text));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 5);
			assertThat(received).containsExactly("1", "boom", "2", "3", "4");
		}
	}

	private Subscription subscribe(BroadcastExchange exchange, String name, String bindingKey, List<String> received) {
		return this.broker.subscribe(exchange, queue(name, bindingKey), (routingKey, message) -> received
			.add(routingKey + ":" + new String(message.body(), StandardCharsets.UTF_8)));
	}

	private static BroadcastQueue queue(String name, String bindingKey) {
		return new BroadcastQueue(name, bindingKey, Map.of());
	}

	private static BroadcastMessage message(String text) {
		return new BroadcastMessage(Map.of(), "application/json", "utf-8", text.getBytes(StandardCharsets.UTF_8), false);
	}

}
