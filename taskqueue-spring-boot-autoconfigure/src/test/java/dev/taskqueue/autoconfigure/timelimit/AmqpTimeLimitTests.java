package dev.taskqueue.autoconfigure.timelimit;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.BeforeAll;

import dev.taskqueue.testsupport.RabbitServer;

/**
 * {@link TimeLimitBrokerTests} on RabbitMQ, results over {@code rpc://}, on a queue named for
 * this class alone. With a prefetch of 1, RabbitMQ delivers the next task only once the
 * runaway's message is acknowledged.
 */
class AmqpTimeLimitTests extends TimeLimitBrokerTests {

	private Connection connection;

	private Channel channel;

	@BeforeAll
	void connect() throws IOException {
		this.connection = RabbitServer.rawConnection("time-limit-tests");
		this.channel = this.connection.createChannel();
	}

	@Override
	Map<String, Object> brokerProperties() {
		return Map.of("taskqueue.broker.url", "amqp://guest:guest@127.0.0.1:5672//", "taskqueue.backend.url",
				"rpc://");
	}

	@Override
	void awaitNothingUnacknowledged() {
		// The prefetch of 1 makes the next task wait for the acknowledgement.
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
