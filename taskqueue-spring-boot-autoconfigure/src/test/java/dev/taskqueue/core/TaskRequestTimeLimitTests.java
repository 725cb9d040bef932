package dev.taskqueue.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the time limits of {@link TaskRequest}: the {@code timelimit} header written as
 * Celery's {@code apply_async(time_limit=..., soft_time_limit=...)} writes it.
 */
class TaskRequestTimeLimitTests {

	private final List<OutboundMessage> published = new ArrayList<>();

	private final TaskTemplate template = new TaskTemplate(new Recording(), new InMemoryResultBackend(
			new JsonResultMetaCodec(), Duration.ofMinutes(1)), DefaultTaskRouter.withDefaultQueue("celery"),
			new JsonMessageCodec(), CeleryJson.newMapper(), DataSize.ofKilobytes(64));

	@Test
	void wholeSecondsAreWrittenAsCeleryWritesThem() throws IOException {
		this.template.task("labapp.add").args(2, 3).timeLimit(Duration.ofSeconds(30)).softTimeLimit(Duration.ofSeconds(20))
			.send();
		assertThat(timelimit()).isEqualTo(capturedTimelimit()).isEqualTo(List.of(30, 20));
	}

	@Test
	void fractionsAreFloatsAndAMissingLimitIsNull() {
		this.template.task("tasks.add").timeLimit(Duration.ofMillis(1500)).send();
		this.template.task("tasks.add").softTimeLimit(Duration.ofMillis(250)).send();
		this.template.task("tasks.add").send();
		assertThat(this.published).extracting((outbound) -> outbound.message().headers().get("timelimit"))
			.containsExactly(Arrays.asList(1.5, null), Arrays.asList(null, 0.25), Arrays.asList(null, null));
	}

	@Test
	void limitsMustBePositive() {
		TaskRequest request = this.template.task("tasks.add");
		assertThatIllegalArgumentException().isThrownBy(() -> request.timeLimit(Duration.ZERO))
			.withMessageContaining("timeLimit must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> request.softTimeLimit(Duration.ofSeconds(-1)))
			.withMessageContaining("softTimeLimit must be positive");
	}

	/** The header of Celery's {@code add.apply_async((2, 3), time_limit=30, soft_time_limit=20)}. */
	private static Object capturedTimelimit() throws IOException {
		try (InputStream in = TaskRequestTimeLimitTests.class
			.getResourceAsStream("/celery-fixtures/redis-broker/10_time_limits.json")) {
			assertThat(in).isNotNull();
			JsonNode envelope = CeleryJson.newMapper().readTree(in).get("messages").get(0).get("envelope");
			return CeleryJson.newMapper().treeToValue(envelope.get("headers").get("timelimit"), Object.class);
		}
	}

	private Object timelimit() {
		assertThat(this.published).hasSize(1);
		return this.published.get(0).message().headers().get("timelimit");
	}

	/** A broker that keeps what is published. */
	private final class Recording implements Broker {

		@Override
		public void publish(OutboundMessage message) {
			TaskRequestTimeLimitTests.this.published.add(message);
		}

		@Override
		public Consumption consume(ConsumerSettings settings, DeliveryHandler handler) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void ping() {
		}

		@Override
		public String url() {
			return "recording://";
		}

	}

}
