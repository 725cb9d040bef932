package dev.taskqueue.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.QueueSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TaskTemplate}: what it publishes and what it refuses to send.
 */
class TaskTemplateTests {

	private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(1));

	private final DefaultTaskRouter router = new DefaultTaskRouter("celery", Map.of("other", QueueSpec.defaults("other")), List.of(), false, null);

	private final TaskTemplate template = template(DataSize.ofKilobytes(64));

	@Test
	void sendPublishesCeleryMessageWithOptions() {
		AsyncResult<Object> result = this.template.task("tasks.add")
			.args(2, 3)
			.kwarg("z", "x")
			.countdown(Duration.ofSeconds(10))
			.expires(Duration.ofSeconds(60))
			.priority(5)
			.header("custom", "h")
			.send();

		TaskMessage message = take("celery");
		assertThat(message.id()).isEqualTo(result.id());
		assertThat(message.task()).isEqualTo("tasks.add");
		assertThat(message.args()).containsExactly(2, 3);
		assertThat(message.kwargs()).containsExactly(Map.entry("z", "x"));
		assertThat(message.headers().eta()).isEqualTo(NOW.plusSeconds(10));
		assertThat(message.headers().expires()).isEqualTo(NOW.plusSeconds(60));
		assertThat(message.headers().rootId()).isEqualTo(result.id());
		assertThat(message.headers().parentId()).isNull();
		assertThat(message.headers().argsrepr()).isEqualTo("(2, 3)");
		assertThat(message.headers().origin()).startsWith("gen").contains("@");
		assertThat(message.headers().extra()).containsEntry("custom", "h");
		assertThat(message.properties().priority()).isEqualTo(5);
		assertThat(message.properties().correlationId()).isEqualTo(result.id());
		assertThat(message.properties().replyTo()).isNotBlank();
		assertThat(message.properties().expiration()).isEqualTo("60000");
		assertThat(message.properties().deliveryMode()).isEqualTo(2);
	}

	@Test
	void explicitQueueAndIdAreUsed() {
		this.template.task("tasks.add").id("fixed-id").queue("other").send();
		assertThat(this.broker.size("celery")).isZero();
		assertThat(take("other").id()).isEqualTo("fixed-id");
	}

	@Test
	void payloadOverLimitIsRefusedAndNothingIsSent() {
		String big = "x".repeat(70 * 1024);
		assertThatExceptionOfType(TaskSendException.class).isThrownBy(() -> this.template.send("tasks.echo", big))
			.withMessageContaining("over the limit of 65536 bytes")
			.withMessageContaining("(max payload size)")
			.withMessageNotContaining("taskqueue.");
		assertThat(this.broker.size("celery")).isZero();
	}

	@Test
	void argumentsThatCannotBeSerializedAreRefused() {
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> this.template.send("tasks.echo", new Object()))
			.withMessageContaining("tasks.echo")
			.withMessageContaining("cannot be serialized");
		assertThat(this.broker.size("celery")).isZero();
	}

	@Test
	void undeclaredQueueIsRefusedWhenMissingQueuesAreNotCreated() {
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> this.template.task("tasks.add").queue("nowhere").send())
			.withMessageContaining("queue 'nowhere' is not declared");
		assertThat(this.broker.size("nowhere")).isZero();
	}

	@Test
	void blankTaskNameIsRefused() {
		assertThatExceptionOfType(TaskSendException.class).isThrownBy(() -> this.template.send(" "))
			.withMessage("A task name is required");
	}

	@Test
	void invalidOptionsAreRefused() {
		TaskRequest request = this.template.task("tasks.add");
		assertThatIllegalArgumentException().isThrownBy(() -> request.countdown(Duration.ofSeconds(-1)))
			.withMessageContaining("countdown must not be negative");
		assertThatIllegalArgumentException().isThrownBy(() -> request.priority(256))
			.withMessageContaining("priority must be between 0 and 255");
	}

	@Test
	void resultReadsStatesFromBackend() {
		AsyncResult<Object> result = this.template.result("some-id");
		assertThat(result.state()).isEqualTo(TaskState.PENDING);
		assertThat(result.ready()).isFalse();
		this.backend.store(ResultMeta.of("some-id", "PROGRESS", Map.of("current", 1)));
		assertThat(result.state().name()).isEqualTo("PROGRESS");
		assertThat(result.result()).isEqualTo(Map.of("current", 1));
		this.backend.store(ResultMeta.of("some-id", CeleryStates.SUCCESS, List.of(1, 2)));
		assertThat(result.successful()).isTrue();
		assertThat(this.template.result("some-id", List.class).get(Duration.ofSeconds(1))).containsExactly(1, 2);
		result.forget();
		assertThat(result.state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void getTimesOutWithState() {
		assertThatExceptionOfType(TaskTimeoutException.class)
			.isThrownBy(() -> this.template.result("never").get(Duration.ofMillis(50)))
			.withMessageContaining("still PENDING");
	}

	private TaskTemplate template(DataSize maxPayload) {
		return new TaskTemplate(this.broker, this.backend, this.router, new JsonMessageCodec(), CeleryJson.newMapper(),
				maxPayload, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private TaskMessage take(String queue) {
		java.util.concurrent.BlockingQueue<Delivery> deliveries = new java.util.concurrent.LinkedBlockingQueue<>();
		try (Consumption consumption = this.broker.consume(new ConsumerSettings(List.of(queue), 1), deliveries::add)) {
			Delivery delivery = deliveries.poll(5, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(delivery).as("a message on " + queue).isNotNull();
			delivery.ack();
			return delivery.message();
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
