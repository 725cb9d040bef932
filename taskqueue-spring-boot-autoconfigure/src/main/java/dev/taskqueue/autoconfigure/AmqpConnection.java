package dev.taskqueue.autoconfigure;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The RabbitMQ connection factory the broker (and the {@code rpc://} backend) use: built from
 * {@code taskqueue.broker.url}, or the application's own.
 *
 * @param connectionFactory the connection factory
 * @param url the broker URL without its password, for messages and the actuator
 */
record AmqpConnection(ConnectionFactory connectionFactory, String url) {

	/**
	 * Describe the application's connection factory as a Celery broker URL with the password
	 * masked, such as {@code amqp://guest:**@localhost:5672//}.
	 */
	static AmqpConnection of(ConnectionFactory connectionFactory) {
		String virtualHost = connectionFactory.getVirtualHost();
		String url = "amqp://" + connectionFactory.getUsername() + ":**@" + connectionFactory.getHost() + ":"
				+ connectionFactory.getPort() + "/" + ((virtualHost != null) ? virtualHost : "/");
		return new AmqpConnection(connectionFactory, url);
	}

}
