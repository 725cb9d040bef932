package dev.taskqueue.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.TaskMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A delivery that the broker voided while the worker held it (a lost AMQP channel: RabbitMQ
 * redelivers the message) is not run, so the task does not run twice.
 */
class StaleDeliveryTests {

	@Test
	void heldDeliveryVoidedByTheBrokerIsNotRun() {
		WorkerFixture fixture = new WorkerFixture(1);
		VoidableBroker broker = new VoidableBroker(fixture.broker);
		WorkerContainer worker = new WorkerContainer(broker, fixture.backend, fixture.registry, fixture.state,
				fixture.worker.settings(), CeleryJson.newMapper(), null);
		worker.start();
		try {
			fixture.template.task("t.add").args(1, 2).countdown(Duration.ofMillis(500)).send();
			await().atMost(Duration.ofSeconds(5)).until(() -> broker.delivered.get() == 1);
			broker.channelOpen.set(false);
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.state.reservedCount() == 0);
			assertThat(fixture.tasks.executions).hasValue(0);
			assertThat(broker.settled.get()).isZero();
		}
		finally {
			worker.stop();
		}
	}

	/**
	 * The in-memory broker, with deliveries that become invalid when its "channel" closes.
	 */
	static final class VoidableBroker implements Broker {

		private final Broker delegate;

		final AtomicBoolean channelOpen = new AtomicBoolean(true);

		final AtomicInteger delivered = new AtomicInteger();

		final AtomicInteger settled = new AtomicInteger();

		VoidableBroker(Broker delegate) {
			this.delegate = delegate;
		}

		@Override
		public void publish(OutboundMessage message) {
			this.delegate.publish(message);
		}

		@Override
		public Consumption consume(ConsumerSettings settings, DeliveryHandler handler) {
			return this.delegate.consume(settings, (delivery) -> {
				this.delivered.incrementAndGet();
				handler.onDelivery(new VoidableDelivery(delivery));
			});
		}

		@Override
		public void ping() {
		}

		@Override
		public String url() {
			return "memory://";
		}

		private final class VoidableDelivery implements Delivery {

			private final Delivery delivery;

			VoidableDelivery(Delivery delivery) {
				this.delivery = delivery;
			}

			@Override
			public boolean valid() {
				return VoidableBroker.this.channelOpen.get();
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
				return this.delivery.redelivered();
			}

			@Override
			public int deliveryCount() {
				return this.delivery.deliveryCount();
			}

			@Override
			public void ack() {
				VoidableBroker.this.settled.incrementAndGet();
				this.delivery.ack();
			}

			@Override
			public void requeue() {
				VoidableBroker.this.settled.incrementAndGet();
				this.delivery.requeue();
			}

			@Override
			public void deadLetter(String reason) {
				VoidableBroker.this.settled.incrementAndGet();
				this.delivery.deadLetter(reason);
			}

		}

	}

}
