package dev.taskqueue.broker.amqp;

import java.util.List;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Makes the Spring AMQP listener container of an {@link AmqpConsumption}, with one consumer
 * per queue on one channel, so that a global prefetch holds across the queues as Celery's.
 * <p>
 * One queue (the usual worker, and each queue added by remote control) gets a
 * {@link DirectMessageListenerContainer}: it calls the listener on the client's own consumer
 * thread, one thread hand-off per message fewer than the
 * {@link SimpleMessageListenerContainer}, whose consumer thread takes each message from a
 * queue the client's thread fills. That hop cost a fifth of the drain rate on two cores.
 * The direct container opens a channel per queue, though, so several queues get the simple
 * container, whose single channel carries them all. Both recover every second when the
 * connection is lost or a queue is missing.
 */
final class AmqpListenerContainers {

	/** How often a consumer that lost its connection, or misses its queue, tries again. */
	static final long RECOVERY_INTERVAL_MILLIS = 1000;

	/** How long the simple container's thread waits for a message before checking whether it should stop. */
	private static final long RECEIVE_TIMEOUT_MILLIS = 100;

	private AmqpListenerContainers() {
	}

	/**
	 * Create the container consuming the given queues; the caller sets the rest.
	 * @param connectionFactory the connection factory to consume with
	 * @param queues the queues
	 * @return the container, not started
	 */
	static AbstractMessageListenerContainer create(ConnectionFactory connectionFactory, List<String> queues) {
		AbstractMessageListenerContainer container;
		if (queues.size() == 1) {
			DirectMessageListenerContainer direct = new DirectMessageListenerContainer(connectionFactory);
			direct.setConsumersPerQueue(1);
			direct.setMonitorInterval(RECOVERY_INTERVAL_MILLIS);
			container = direct;
		}
		else {
			SimpleMessageListenerContainer simple = new SimpleMessageListenerContainer(connectionFactory);
			simple.setConcurrentConsumers(1);
			simple.setReceiveTimeout(RECEIVE_TIMEOUT_MILLIS);
			simple.setFailedDeclarationRetryInterval(RECOVERY_INTERVAL_MILLIS);
			container = simple;
		}
		container.setTaskExecutor(new SimpleAsyncTaskExecutor("taskqueue-amqp-"));
		container.setQueueNames(queues.toArray(String[]::new));
		container.setRecoveryInterval(RECOVERY_INTERVAL_MILLIS);
		return container;
	}

}
