package dev.taskqueue.routing;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DefaultTaskRouter}: Celery's {@code task_routes} and {@code task_queues} rules.
 */
class DefaultTaskRouterTests {

	private static final QueueSpec PRIORITY = new QueueSpec("priority", "priority", ExchangeType.DIRECT, "priority",
			true, 10);

	private static final QueueSpec TOPIC = new QueueSpec("feeds", "feed_ex", ExchangeType.TOPIC, "feeds.#", true,
			null);

	private final DefaultTaskRouter router = new DefaultTaskRouter("celery", Map.of("priority", PRIORITY, "feeds", TOPIC),
			List.of(new RouteRule("tasks.urgent", "priority", null, null), new RouteRule("feeds.*", "feeds", null, null),
					new RouteRule("tasks.*", "bulk", null, null),
					new RouteRule("events.publish", null, "events_ex", "events.new")),
			true, null);

	@Test
	void defaultQueueThroughDefaultExchange() {
		Destination destination = this.router.route("other.task", null);
		assertThat(destination.exchange()).isEmpty();
		assertThat(destination.routingKey()).isEqualTo("celery");
		assertThat(destination.queue()).isEqualTo(QueueSpec.defaults("celery"));
	}

	@Test
	void exactRouteBeforeGlobAndDirectQueueKeepsItsArguments() {
		Destination destination = this.router.route("tasks.urgent", null);
		assertThat(destination).isEqualTo(Destination.queue(PRIORITY));
		assertThat(destination.queue().maxPriority()).isEqualTo(10);
	}

	@Test
	void globRouteCreatesMissingQueueWithDefaults() {
		assertThat(this.router.route("tasks.add", null)).isEqualTo(Destination.queue("bulk"));
		assertThat(this.router.route("tasks.reports.daily", null).routingKey()).isEqualTo("bulk");
	}

	@Test
	void topicQueueIsPublishedToItsExchangeWithItsKey() {
		Destination destination = this.router.route("feeds.refresh", null);
		assertThat(destination.exchange()).isEqualTo("feed_ex");
		assertThat(destination.routingKey()).isEqualTo("feeds.#");
		assertThat(destination.queue()).isEqualTo(TOPIC);
	}

	@Test
	void exchangeRouteNeedsNoQueue() {
		assertThat(this.router.route("events.publish", null)).isEqualTo(new Destination("events_ex", "events.new"));
	}

	@Test
	void explicitQueueWinsOverRoutes() {
		assertThat(this.router.route("tasks.urgent", "celery")).isEqualTo(Destination.queue("celery"));
	}

	@Test
	void annotationQueueAppliesWhenNoRouteMatches() {
		this.router.registerTaskQueue("reports.monthly", "reports");
		assertThat(this.router.route("reports.monthly", null)).isEqualTo(Destination.queue("reports"));
		this.router.registerTaskQueue("tasks.add", "ignored");
		assertThat(this.router.route("tasks.add", null)).isEqualTo(Destination.queue("bulk"));
	}

	@Test
	void missingQueuesCanBeRefused() {
		DefaultTaskRouter strict = new DefaultTaskRouter("celery", Map.of("priority", PRIORITY), List.of(), false, null);
		assertThat(strict.route("t", "priority")).isEqualTo(Destination.queue(PRIORITY));
		assertThat(strict.route("t", null)).isEqualTo(Destination.queue("celery"));
		assertThatExceptionOfType(NoSuchRouteException.class).isThrownBy(() -> strict.route("t", "nowhere"))
			.withMessageContaining("queue 'nowhere' is not declared");
		assertThatExceptionOfType(NoSuchRouteException.class).isThrownBy(() -> strict.queue("nowhere"));
	}

	@Test
	void defaultMaxPriorityAppliesToCreatedQueues() {
		DefaultTaskRouter router = new DefaultTaskRouter("celery", Map.of(), List.of(), true, 10);
		assertThat(router.route("t", null).queue().maxPriority()).isEqualTo(10);
		assertThat(router.queue("other").maxPriority()).isEqualTo(10);
	}

	@Test
	void globsMatchLikeFnmatch() {
		assertThat(new RouteRule("tasks.*", "q", null, null).matches("tasks.a.b")).isTrue();
		assertThat(new RouteRule("tasks.?", "q", null, null).matches("tasks.ab")).isFalse();
		assertThat(new RouteRule("tasks.add", "q", null, null).matches("tasks.addx")).isFalse();
		assertThat(new RouteRule("a+b.*", "q", null, null).matches("a+b.c")).isTrue();
	}

	@Test
	void routeMustNameQueueOrExchange() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RouteRule("x", null, null, "k"))
			.withMessageContaining("must name a queue or an exchange");
	}

}
