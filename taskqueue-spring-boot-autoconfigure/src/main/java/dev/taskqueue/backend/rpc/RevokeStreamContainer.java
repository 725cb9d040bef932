package dev.taskqueue.backend.rpc;

import java.util.Map;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The consumer of the revoke stream of a {@link StreamRevokedTaskStore}: one consumer
 * thread, reading the stream from its first entry ({@code x-stream-offset first}) and then
 * following its tail. RabbitMQ serves streams over AMQP 0.9.1 only to consumers with a
 * prefetch limit that acknowledge (an acknowledgement only grants credit: nothing is removed).
 * <p>
 * Every start of a consumer, the first and those after a lost connection, declares the
 * stream first (as {@link ReplyQueueListenerContainer} declares the reply queue) and reads
 * from the first entry again. With {@code missingQueuesFatal=false} a consumer that finds no
 * stream is retried after the recovery interval.
 */
final class RevokeStreamContainer extends SimpleMessageListenerContainer {

	private static final int PREFETCH = 500;

	private final Runnable declaration;

	/**
	 * Create a container; initialize it with {@link #afterPropertiesSet()}, then
	 * {@link #start()} it.
	 * @param connectionFactory the factory of the connection to consume on
	 * @param stream the name of the stream
	 * @param declaration declares the stream, logging when it cannot
	 * @param listener receives the entries, on the consumer thread; must not throw
	 */
	RevokeStreamContainer(ConnectionFactory connectionFactory, String stream, Runnable declaration,
			MessageListener listener) {
		super(connectionFactory);
		this.declaration = declaration;
		setQueueNames(stream);
		setAcknowledgeMode(AcknowledgeMode.AUTO);
		setPrefetchCount(PREFETCH);
		setConsumerArguments(Map.of("x-stream-offset", "first"));
		setConcurrentConsumers(1);
		setMissingQueuesFatal(false);
		setMessageListener(listener);
		setBeanName("taskqueue-revokes");
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("taskqueue-revokes-");
		executor.setDaemon(true);
		setTaskExecutor(executor);
	}

	/** Declare the stream; called before every start of the consumer. */
	@Override
	protected void redeclareElementsIfNecessary() {
		this.declaration.run();
	}

}
