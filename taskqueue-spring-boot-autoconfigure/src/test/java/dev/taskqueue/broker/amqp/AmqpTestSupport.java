package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.testsupport.RabbitServer;

/**
 * Brokers against the real RabbitMQ at 127.0.0.1:5672 (started if down), a plain Java
 * client connection to look at what they did, and names unique to the test. Registered with
 * {@code @RegisterExtension} on an instance field it cleans up after each test: the brokers
 * are destroyed, and every queue and exchange named through {@link #name(String)} (and its
 * dead-letter queue) is deleted.
 */
final class AmqpTestSupport implements AfterEachCallback, AutoCloseable {

	static final JsonMessageCodec CODEC = new JsonMessageCodec();

	static final JsonMapper MAPPER = CeleryJson.newMapper();

	final String prefix;

	final CachingConnectionFactory factory;

	final RabbitAdmin admin;

	final Connection connection;

	final Channel channel;

	private final Set<String> names = new LinkedHashSet<>();

	private final List<AmqpBroker> brokers = new ArrayList<>();

	AmqpTestSupport() {
		this("tq-test-");
	}

	/**
	 * Test support whose names start with the given prefix and a random part.
	 * @param namePrefix the start of every name
	 */
	AmqpTestSupport(String namePrefix) {
		this.prefix = namePrefix + UUID.randomUUID().toString().substring(0, 8) + "-";
		this.factory = connectionFactory();
		this.admin = new RabbitAdmin(this.factory);
		try {
			com.rabbitmq.client.ConnectionFactory raw = new com.rabbitmq.client.ConnectionFactory();
			raw.setHost(RabbitServer.HOST);
			raw.setPort(RabbitServer.PORT);
			this.connection = raw.newConnection("taskqueue-test-inspector");
			this.channel = this.connection.createChannel();
		}
		catch (IOException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("Cannot connect to RabbitMQ at " + RabbitServer.HOST + ":" + RabbitServer.PORT, ex);
		}
	}

	static CachingConnectionFactory connectionFactory() {
		return RabbitServer.connectionFactory("taskqueue-test");
	}

	/** A name unique to this test, deleted afterwards as a queue and as an exchange. */
	String name(String suffix) {
		String name = this.prefix + suffix;
		this.names.add(name);
		return name;
	}

	AmqpBroker broker() {
		return broker(AmqpTransportOptions.defaults(RabbitServer.MASKED_URL));
	}

	AmqpBroker broker(AmqpTransportOptions options) {
		AmqpBroker broker = new AmqpBroker(this.factory, CODEC, options);
		this.brokers.add(broker);
		return broker;
	}

	/** A fresh channel of the inspecting connection (the previous one may have been closed by an error). */
	Channel channel() throws IOException {
		return this.connection.createChannel();
	}

	static TaskMessage task(String id, int priority) {
		return TaskMessageBuilder.task("tasks.add").id(id).args(List.of(2, 3)).priority(priority).build();
	}

	static OutboundMessage message(String queue, String id, int priority) {
		return new OutboundMessage(CODEC.encode(task(id, priority)), Destination.queue(queue));
	}

	static OutboundMessage message(QueueSpec queue, String id, int priority) {
		return new OutboundMessage(CODEC.encode(task(id, priority)), Destination.queue(queue));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		for (AmqpBroker broker : this.brokers) {
			broker.destroy();
		}
		this.brokers.clear();
		for (String name : this.names) {
			this.admin.deleteQueue(name);
			this.admin.deleteQueue(name + ".dead-letter");
			this.admin.deleteExchange(name);
		}
		this.names.clear();
		try {
			if (this.connection.isOpen()) {
				this.connection.close();
			}
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.factory.destroy();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (List<Object>) value;
	}

}
