package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.TaskMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the worker does with a message by its delivery count: past the max-deliveries limit it
 * is dead-lettered with FAILURE {@code WorkerLostError}; without reject-on-worker-lost an
 * acks-late task's redelivered message is acknowledged with FAILURE {@code WorkerLostError}
 * instead of run again. On the in-memory broker, whose deliveries here report a chosen count
 * (the transport tests prove the counts on Redis and RabbitMQ).
 */
class WorkerRedeliveryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final WorkerFixture fixture = new WorkerFixture(1);

	private WorkerContainer worker;

	@AfterEach
	void stop() {
		if (this.worker != null) {
			this.worker.stop();
		}
	}

	@Test
	void messageDeliveredMoreThanTheLimitIsDeadLetteredWithWorkerLostError() {
		start(6, 5, true, true);
		AsyncResult<Object> result = this.fixture.template.send("t.add", 1, 2);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("WorkerLostError");
				assertThat(ex.getExceptionModule()).isEqualTo("celery.exceptions");
				assertThat(ex.getExceptionMessage())
					.isEqualTo("Worker exited prematurely: message delivered 6 times, more than max-deliveries 5");
			});
		// the state is stored first, then the message dead-lettered
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.fixture.broker.deadLetters("celery", 10)).singleElement()
				.satisfies((letter) -> {
					assertThat(letter.taskId()).isEqualTo(result.id());
					assertThat(letter.reason()).isEqualTo("Message delivered 6 times, more than the limit of 5 "
							+ "(taskqueue.task.max-deliveries): the worker running it was lost each time");
				}));
		assertThat(this.fixture.tasks.executions).hasValue(0);
		assertThat(this.fixture.state.rejectedCount()).isEqualTo(1);
	}

	@Test
	void messageDeliveredAsOftenAsTheLimitRuns() {
		start(5, 5, true, true);
		assertThat(this.fixture.template.send("t.add", 1, 2).get(TIMEOUT)).isEqualTo(3);
		assertThat(this.fixture.broker.deadLetters("celery", 10)).isEmpty();
	}

	@Test
	void noLimitWhenMaxDeliveriesIsZero() {
		start(1000, 0, true, true);
		assertThat(this.fixture.template.send("t.add", 1, 2).get(TIMEOUT)).isEqualTo(3);
	}

	@Test
	void withoutRejectOnWorkerLostARedeliveredAcksLateTaskIsNotRunAgain() {
		start(2, 5, true, false);
		AsyncResult<Object> result = this.fixture.template.send("t.add", 1, 2);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getExceptionType()).isEqualTo("WorkerLostError");
				assertThat(ex.getExceptionMessage()).startsWith("Worker exited prematurely");
			});
		await().atMost(TIMEOUT).until(() -> this.fixture.state.reservedCount() == 0);
		assertThat(this.fixture.broker.deadLetters("celery", 10)).isEmpty();
		assertThat(this.fixture.broker.size("celery")).isZero();
		assertThat(this.fixture.tasks.executions).hasValue(0);
	}

	@Test
	void withoutRejectOnWorkerLostAFirstDeliveryRuns() {
		start(1, 5, true, false);
		assertThat(this.fixture.template.send("t.add", 1, 2).get(TIMEOUT)).isEqualTo(3);
	}

	@Test
	void withoutRejectOnWorkerLostAnEarlyAckTaskRunsAgain() {
		start(2, 5, false, false);
		assertThat(this.fixture.template.send("t.add", 1, 2).get(TIMEOUT)).isEqualTo(3);
	}

	@Test
	void messageWhoseEtaIsAheadCannotHaveStartedAndIsHeld() {
		start(6, 5, true, false);
		AsyncResult<Object> result = this.fixture.template.task("t.add").args(1, 2).countdown(Duration.ofMillis(300))
			.send();
		assertThat(result.get(TIMEOUT)).isEqualTo(3);
		assertThat(this.fixture.broker.deadLetters("celery", 10)).isEmpty();
	}

	@Test
	void failureIsNotStoredForATaskThatIgnoresItsResult() {
		start(6, 5, true, true);
		AsyncResult<Object> result = this.fixture.template.send("t.quiet");
		// the worker stores a state before it dead-letters, so none is coming
		await().atMost(TIMEOUT).until(() -> this.fixture.broker.deadLetters("celery", 10).size() == 1);
		assertThat(result.state().name()).isEqualTo("PENDING");
		assertThat(this.fixture.tasks.executions).hasValue(0);
	}

	private void start(int deliveryCount, int maxDeliveries, boolean acksLate, boolean rejectOnWorkerLost) {
		WorkerSettings settings = new WorkerSettings("celery@test", List.of("celery"), 1, 2, Duration.ofSeconds(5),
				false, WorkerSettings.DEFAULT_MAX_HELD_ETA, WorkerSettings.DEFAULT_STALL_TIMEOUT, maxDeliveries);
		TaskRegistry registry = new TaskRegistry(TestTaskAnnotations.defaults(acksLate, rejectOnWorkerLost));
		new CeleryTaskAnnotationBeanPostProcessor(registry).postProcessAfterInitialization(this.fixture.tasks, "tasks");
		this.worker = new WorkerContainer(new CountingBroker(this.fixture.broker, deliveryCount), this.fixture.backend,
				registry, this.fixture.state, settings, CeleryJson.newMapper(), null);
		this.worker.start();
	}

	/**
	 * The in-memory broker, with deliveries that report the given delivery count.
	 */
	private record CountingBroker(Broker delegate, int deliveryCount) implements Broker {

		@Override
		public void publish(OutboundMessage message) {
			this.delegate.publish(message);
		}

		@Override
		public Consumption consume(ConsumerSettings settings, DeliveryHandler handler) {
			return this.delegate.consume(settings, (delivery) -> handler.onDelivery(new Counted(delivery)));
		}

		@Override
		public void ping() {
		}

		@Override
		public String url() {
			return "memory://";
		}

		private final class Counted implements Delivery {

			private final Delivery delivery;

			Counted(Delivery delivery) {
				this.delivery = delivery;
			}

			@Override
			public int deliveryCount() {
				return CountingBroker.this.deliveryCount;
			}

			@Override
			public TaskMessage message() {
				return this.delivery.message();
			}

			@Override
			public String queue() {
				return this.delivery.queue();
			}

			@Override
			public boolean redelivered() {
				return true;
			}

			@Override
			public boolean defer() {
				return this.delivery.defer();
			}

			@Override
			public void resume() {
				this.delivery.resume();
			}

			@Override
			public void ack() {
				this.delivery.ack();
			}

			@Override
			public void requeue() {
				this.delivery.requeue();
			}

			@Override
			public void deadLetter(String reason) {
				this.delivery.deadLetter(reason);
			}

		}

	}

}
