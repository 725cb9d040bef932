package dev.taskqueue.autoconfigure.abuse;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.BeforeAll;

import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.amqp.AmqpBroker;

/**
 * {@link WorkerAbuseTests} on RabbitMQ: messages are published to the default exchange with
 * the plain Java client, to a queue named for this class alone; results travel back over
 * {@code rpc://}.
 */
class AmqpWorkerAbuseTests extends WorkerAbuseTests {

	private Connection connection;

	private Channel channel;

	@BeforeAll
	void connect() throws IOException, TimeoutException {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setMaxInboundMessageBodySize(256 * 1024 * 1024);
		this.connection = factory.newConnection("abuse-tests");
		this.channel = this.connection.createChannel();
	}

	@Override
	Map<String, Object> brokerProperties() {
		return Map.of("taskqueue.broker.url", "amqp://guest:guest@127.0.0.1:5672//", "taskqueue.backend.url",
				"rpc://");
	}

	@Override
	void publishRaw(Map<String, Object> headers, String contentType, String contentEncoding, byte[] body) {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType(contentType)
			.contentEncoding(contentEncoding)
			.correlationId(String.valueOf(headers.get("id")))
			.deliveryMode(2)
			.priority(0)
			.headers(headers)
			.build();
		try {
			this.channel.basicPublish("", this.queue, properties, body);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	List<String> deadLetterReasons() {
		return this.context.getBean(AmqpBroker.class)
			.deadLetters(this.queue, 2000)
			.stream()
			.map(DeadLetter::reason)
			.toList();
	}

	@Override
	void cleanUp() {
		if (this.connection == null) {
			return;
		}
		try {
			this.channel.queueDelete(this.queue);
			this.channel.queueDelete(this.queue + ".dead-letter");
			this.connection.close();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
