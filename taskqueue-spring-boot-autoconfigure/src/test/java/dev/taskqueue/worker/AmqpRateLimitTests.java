package dev.taskqueue.worker;

import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.amqp.AmqpBroker;
import dev.taskqueue.broker.amqp.AmqpTransportOptions;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.testsupport.RabbitServer;

/**
 * {@link RateLimitTransportTests} on RabbitMQ, where waiting tasks leave the prefetch window
 * by raising the channel's {@code basic.qos}.
 */
class AmqpRateLimitTests extends RateLimitTransportTests {

	private final CachingConnectionFactory connectionFactory = RabbitServer.connectionFactory("rate-tests");

	private final List<AmqpBroker> brokers = new ArrayList<>();

	@Override
	Broker broker() {
		AmqpBroker broker = new AmqpBroker(this.connectionFactory, new JsonMessageCodec(),
				AmqpTransportOptions.defaults(RabbitServer.MASKED_URL));
		this.brokers.add(broker);
		return broker;
	}

	@Override
	void cleanUp() {
		try {
			this.brokers.forEach(AmqpBroker::destroy);
			RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);
			admin.deleteQueue(this.queue);
			admin.deleteQueue(this.queue + ".dead-letter");
			admin.deleteExchange(this.queue);
		}
		finally {
			this.connectionFactory.destroy();
		}
	}

}
