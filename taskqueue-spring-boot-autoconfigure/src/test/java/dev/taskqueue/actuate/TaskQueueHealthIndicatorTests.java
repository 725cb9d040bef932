package dev.taskqueue.actuate;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.JsonMessageCodec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskQueueHealthIndicator}.
 */
class TaskQueueHealthIndicatorTests {

	private static final String URL = "redis://:secret@h:6379/0";

	private static final String MASKED_URL = "redis://:**@h:6379/0";

	@Test
	void upWhenBrokerAnswers() {
		Health health = new TaskQueueHealthIndicator(new InMemoryBroker(new JsonMessageCodec())).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsExactly(java.util.Map.entry("broker", "memory://"));
	}

	@Test
	void downWithMaskedUrlAndErrorWhenPingFails() {
		Health health = new TaskQueueHealthIndicator(
				new UnreachableBroker(MASKED_URL, "Connection refused: h/10.0.0.1:6379"))
			.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("broker", MASKED_URL)
			.containsEntry("error", BrokerException.class.getName() + ": Connection refused: h/10.0.0.1:6379");
		assertThat(render(health)).doesNotContain("secret");
	}

	@Test
	void downNeverShowsPasswordOfUrlInErrorMessage() {
		Health health = new TaskQueueHealthIndicator(
				new UnreachableBroker(MASKED_URL, "Cannot connect to " + URL + " (timed out)"))
			.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error")).asString()
			.endsWith("Cannot connect to " + MASKED_URL + " (timed out)");
		assertThat(render(health)).doesNotContain("secret").contains(MASKED_URL);
	}

	@Test
	void downNeverShowsPasswordOfBrokerThatDoesNotMaskItsUrl() {
		Health health = new TaskQueueHealthIndicator(new UnreachableBroker(URL, "refused")).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("broker", MASKED_URL);
		assertThat(render(health)).doesNotContain("secret");
	}

	@Test
	void maskKeepsUrlsWithoutPassword() {
		assertThat(TaskQueueHealthIndicator.mask("amqp://guest@h:5672// and redis://h:6379/0"))
			.isEqualTo("amqp://guest@h:5672// and redis://h:6379/0");
		assertThat(TaskQueueHealthIndicator.mask("amqp://guest:p@ss@h:5672//")).isEqualTo("amqp://guest:**@h:5672//");
		assertThat(TaskQueueHealthIndicator.mask(null)).isEmpty();
	}

	private static String render(Health health) {
		return health + " " + JsonMapper.builder().build().writeValueAsString(health);
	}

	/**
	 * A broker that cannot be reached.
	 */
	private static final class UnreachableBroker implements Broker {

		private final String url;

		private final String error;

		UnreachableBroker(String url, String error) {
			this.url = url;
			this.error = error;
		}

		@Override
		public void publish(OutboundMessage message) {
			throw new BrokerException(this.error);
		}

		@Override
		public Consumption consume(ConsumerSettings settings, DeliveryHandler handler) {
			throw new BrokerException(this.error);
		}

		@Override
		public void ping() {
			throw new BrokerException(this.error);
		}

		@Override
		public String url() {
			return this.url;
		}

	}

}
