package dev.taskqueue.backend.rpc;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;

/**
 * Publishes replies on one channel of its own. A channel per publish (what a
 * {@code RabbitTemplate} checks out of a channel cache) would not keep the order of a
 * task's states: RabbitMQ keeps the order of messages per channel only, and a client that
 * received SUCCESS before PROGRESS would report PROGRESS as the task's latest state. One
 * channel keeps the order in which the states of each task are stored, as Celery's single
 * producer connection does. The channel is opened again after it was closed (connection lost).
 * <p>
 * The channel is one of the publisher connection when the connection factory has a publisher
 * connection factory (a {@code CachingConnectionFactory} has one), so that when a resource
 * alarm makes RabbitMQ block publishing connections, the consumers on the main connection (the
 * reply queue's, and the workers' when the broker shares the connection factory) go on
 * receiving and acknowledging.
 */
final class ReplyPublisher {

	private final ConnectionFactory connectionFactory;

	private final String contentType;

	private final String contentEncoding;

	private final Object lock = new Object();

	private @Nullable Channel channel;

	ReplyPublisher(ConnectionFactory connectionFactory, String contentType, String contentEncoding) {
		ConnectionFactory publishing = connectionFactory.getPublisherConnectionFactory();
		this.connectionFactory = (publishing != null) ? publishing : connectionFactory;
		this.contentType = contentType;
		this.contentEncoding = contentEncoding;
	}

	/**
	 * Publish a non-persistent reply to the default exchange, without confirms.
	 * @param queue the reply queue, the routing key
	 * @param correlationId the task id
	 * @param body the encoded task meta
	 * @throws AmqpException when the broker cannot be reached or the channel fails
	 */
	void publish(String queue, String correlationId, byte[] body) {
		BasicProperties properties = new BasicProperties.Builder().contentType(this.contentType)
			.contentEncoding(this.contentEncoding)
			.headers(Map.of())
			.deliveryMode(1)
			.priority(0)
			.correlationId(correlationId)
			.build();
		synchronized (this.lock) {
			try {
				channel().basicPublish("", queue, false, properties, body);
			}
			catch (IOException | ShutdownSignalException ex) {
				close();
				throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
			}
		}
	}

	private Channel channel() {
		Channel current = this.channel;
		if (current == null || !current.isOpen()) {
			current = this.connectionFactory.createConnection().createChannel(false);
			this.channel = current;
		}
		return current;
	}

	/** Close the channel; the next publish opens another. */
	void close() {
		synchronized (this.lock) {
			Channel current = this.channel;
			this.channel = null;
			if (current != null) {
				RabbitUtils.closeChannel(current);
			}
		}
	}

}
