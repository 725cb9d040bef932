package dev.taskqueue.backend.rpc;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The consumer of a client's reply queue: one consumer thread, auto-ack (Celery consumes
 * its reply queue with {@code no_ack=True}), declaring the queue again before every start of
 * the consumer.
 * <p>
 * The reply queue is auto-delete, so RabbitMQ deletes it as soon as its consumer goes away,
 * for example when the connection is lost. The container restarts its consumer after such a
 * loss (on a new connection once the broker is reachable), and every start of a consumer runs
 * {@link #redeclareElementsIfNecessary()} first. The default implementation redeclares only
 * the queues of an application context, and this container is not a bean, so it declares the
 * reply queue itself (same name and arguments; declaring is idempotent). With
 * {@code missingQueuesFatal=false}, a consumer that still finds no queue (declaring failed)
 * is retried after the recovery interval rather than stopping the container.
 */
final class ReplyQueueListenerContainer extends SimpleMessageListenerContainer {

	private static final Log logger = LogFactory.getLog(ReplyQueueListenerContainer.class);

	private final String queueName;

	private final Runnable declaration;

	/**
	 * Create a container; initialize it with {@link #afterPropertiesSet()}, then
	 * {@link #start()} it.
	 * @param connectionFactory the factory of the connection to consume on
	 * @param queueName the reply queue
	 * @param declaration declares the reply queue, throws when it cannot
	 * @param listener receives the replies, on the consumer thread
	 */
	ReplyQueueListenerContainer(ConnectionFactory connectionFactory, String queueName, Runnable declaration,
			MessageListener listener) {
		super(connectionFactory);
		this.queueName = queueName;
		this.declaration = declaration;
		setQueueNames(queueName);
		setAcknowledgeMode(AcknowledgeMode.NONE);
		setConcurrentConsumers(1);
		setMissingQueuesFatal(false);
		setMessageListener(listener);
		setBeanName("taskqueue-rpc-replies");
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("taskqueue-rpc-replies-");
		executor.setDaemon(true);
		setTaskExecutor(executor);
	}

	/** Declare the reply queue; called before every start of the consumer. */
	@Override
	protected void redeclareElementsIfNecessary() {
		try {
			this.declaration.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot declare the reply queue " + this.queueName + " (will retry): " + ex.getMessage());
		}
	}

}
