package dev.taskqueue.autoconfigure.serialization;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.taskqueue.protocol.AcceptContent;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.InboundLimits;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.Serializer;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link WorkerSerializationTests} on RabbitMQ with the {@code rpc://} backend; the replies
 * the msgpack worker sends are also read with the plain Java client from a queue of this
 * class's own.
 */
class AmqpWorkerSerializationTests extends WorkerSerializationTests {

	private Connection connection;

	private Channel channel;

	@BeforeAll
	void connect() throws IOException {
		this.connection = RabbitServer.rawConnection("msgpack-serialization-tests");
		this.channel = this.connection.createChannel();
	}

	@Override
	Map<String, Object> brokerProperties() {
		return Map.of("taskqueue.broker.url", "amqp://guest:guest@127.0.0.1:5672//", "taskqueue.backend.url",
				"rpc://");
	}

	@Test
	void rpcReplyIsMsgpack() throws IOException {
		String replies = this.queue + "-replies";
		this.channel.queueDeclare(replies, false, false, true, null);
		String id = UUID.randomUUID().toString();
		EncodedMessage task = new JsonMessageCodec(Serializer.MSGPACK, null, InboundLimits.DEFAULTS,
				AcceptContent.ALL)
			.encode(TaskMessageBuilder.task("tasks.add").id(id).args(List.of(2, 3)).replyTo(replies).build());
		Map<String, Object> headers = new LinkedHashMap<>(task.headers());
		headers.values().removeIf((value) -> value == null || value instanceof List || value instanceof Map);
		this.channel.basicPublish("", this.queue, new AMQP.BasicProperties.Builder().contentType(task.contentType())
			.contentEncoding(task.contentEncoding())
			.correlationId(id)
			.replyTo(replies)
			.deliveryMode(2)
			.headers(headers)
			.build(), task.body());
		AtomicReference<ResultMeta> success = new AtomicReference<>();
		await().atMost(PROMPTLY).untilAsserted(() -> {
			GetResponse reply = this.channel.basicGet(replies, true);
			assertThat(reply).isNotNull();
			assertThat(reply.getProps().getContentType()).isEqualTo("application/x-msgpack");
			assertThat(reply.getProps().getContentEncoding()).isEqualTo("binary");
			assertThat(reply.getProps().getCorrelationId()).isEqualTo(id);
			assertThat(reply.getBody()[0] & 0xf0).as("a msgpack map").isEqualTo(0x80);
			ResultMeta meta = new JsonResultMetaCodec().decode(reply.getBody(), reply.getProps().getContentType());
			assertThat(meta.isReady()).isTrue();
			success.set(meta);
		});
		assertThat(success.get().status()).isEqualTo("SUCCESS");
		assertThat(success.get().result()).isEqualTo(5);
	}

	@Override
	void cleanUp() {
		if (this.connection == null) {
			return;
		}
		try {
			for (String name : List.of(this.queue, this.jsonQueue, this.queue + "-replies")) {
				this.channel.queueDelete(name);
				this.channel.queueDelete(name + ".dead-letter");
			}
			this.channel.exchangeDelete(this.queue);
			this.channel.exchangeDelete(this.jsonQueue);
			this.connection.close();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
