package dev.taskqueue.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.redis.Envelopes.EnvelopeException;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageProperties;
import dev.taskqueue.routing.Destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Kombu's envelope without Redis: layout, decoding, errors, and the redelivered rewrite.
 */
class EnvelopesTests {

	private final Envelopes envelopes = new Envelopes();

	@Test
	void writesKombusLayoutAndReadsItBack() {
		EncodedMessage message = new EncodedMessage(Map.of("task", "t.add"),
				new MessageProperties("id-1", null, 2, 12, "60000"), "application/json", "utf-8",
				"[[1], {}, {}]".getBytes(StandardCharsets.UTF_8));
		String text = new String(this.envelopes.write(message, Destination.queue("q"), "tag-1"), StandardCharsets.UTF_8);
		assertThat(text).isEqualTo("{\"body\": \"W1sxXSwge30sIHt9XQ==\", \"content-encoding\": \"utf-8\", "
				+ "\"content-type\": \"application/json\", \"headers\": {\"task\": \"t.add\"}, \"properties\": "
				+ "{\"correlation_id\": \"id-1\", \"delivery_mode\": 2, \"expiration\": \"60000\", \"delivery_info\": "
				+ "{\"exchange\": \"\", \"routing_key\": \"q\"}, \"priority\": 12, \"body_encoding\": \"base64\", "
				+ "\"delivery_tag\": \"tag-1\"}}");
		EncodedMessage read = this.envelopes.read(text.getBytes(StandardCharsets.UTF_8));
		assertThat(read.headers()).isEqualTo(Map.of("task", "t.add"));
		assertThat(read.properties()).isEqualTo(message.properties());
		assertThat(read.body()).isEqualTo(message.body());
		assertThat(read.contentType()).isEqualTo("application/json");
	}

	@Test
	void writesHeaderValuesOfEveryKindAsPythonDoes() {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "t.\u00e9\"");
		headers.put("k\u00e9y", null);
		headers.put("retries", 3);
		headers.put("big", 1L << 40);
		headers.put("ignore_result", false);
		headers.put("timelimit", Arrays.asList(null, 1.5));
		headers.put("stamps", Map.of("x", List.of(1)));
		EncodedMessage message = new EncodedMessage(headers, new MessageProperties("id-1", "r", 2, 0, null),
				"application/json", "utf-8", new byte[] { '{', '}' });
		String text = new String(this.envelopes.write(message, Destination.queue("q"), "tag-1"), StandardCharsets.UTF_8);
		assertThat(text).isEqualTo("{\"body\": \"e30=\", \"content-encoding\": \"utf-8\", "
				+ "\"content-type\": \"application/json\", \"headers\": {\"task\": \"t.\\u00e9\\\"\", "
				+ "\"k\\u00e9y\": null, \"retries\": 3, \"big\": 1099511627776, \"ignore_result\": false, "
				+ "\"timelimit\": [null, 1.5], \"stamps\": {\"x\": [1]}}, \"properties\": {\"correlation_id\": \"id-1\", "
				+ "\"reply_to\": \"r\", \"delivery_mode\": 2, \"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"q\"}, "
				+ "\"priority\": 0, \"body_encoding\": \"base64\", \"delivery_tag\": \"tag-1\"}}");
		assertThat(this.envelopes.read(text.getBytes(StandardCharsets.UTF_8)).headers()).isEqualTo(headers);
	}

	@Test
	void readsPlainBodiesAndDefaults() {
		EncodedMessage read = this.envelopes
			.read(bytes("{\"body\": \"[[], {}, {}]\", \"headers\": {\"id\": \"x\"}, \"properties\": {}}"));
		assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo("[[], {}, {}]");
		assertThat(read.properties()).isEqualTo(new MessageProperties("x", null, 2, 0, null));
		assertThat(read.contentEncoding()).isEqualTo("utf-8");
	}

	@Test
	void saysWhyAnEnvelopeIsInvalid() {
		assertThatExceptionOfType(EnvelopeException.class).isThrownBy(() -> this.envelopes.read(bytes("nope")))
			.withMessageContaining("not JSON");
		assertThatExceptionOfType(EnvelopeException.class).isThrownBy(() -> this.envelopes.read(bytes("[1]")))
			.withMessageContaining("not a JSON object");
		assertThatExceptionOfType(EnvelopeException.class)
			.isThrownBy(() -> this.envelopes.read(bytes("{\"properties\": {}}")))
			.withMessageContaining("'body'");
		assertThatExceptionOfType(EnvelopeException.class)
			.isThrownBy(() -> this.envelopes.read(bytes("{\"body\": \"%%%\", \"properties\": {\"body_encoding\": \"base64\"}}")))
			.withMessageContaining("base64");
		assertThatExceptionOfType(EnvelopeException.class)
			.isThrownBy(() -> this.envelopes.read(bytes("{\"body\": \"x\", \"properties\": {\"body_encoding\": \"rot13\"}}")))
			.withMessageContaining("rot13");
	}

	@Test
	void marksRedeliveredLikeKombuKeepingNumbersAsWritten() {
		String raw = "{\"body\": \"e30=\", \"headers\": {\"expires\": 1795281202.4250534, \"x\": NaN}, "
				+ "\"properties\": {\"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"q\"}, \"priority\": 6}}";
		Envelopes.Restored restored = this.envelopes.redelivered(raw);
		assertThat(restored.priority()).isEqualTo(6);
		assertThat(restored.envelope()).isEqualTo("{\"body\": \"e30=\", \"headers\": {\"expires\": 1795281202.4250534, "
				+ "\"x\": NaN, \"redelivered\": true}, \"properties\": {\"delivery_info\": {\"exchange\": \"\", "
				+ "\"routing_key\": \"q\", \"redelivered\": true}, \"priority\": 6}}");
		assertThat(this.envelopes.isRedelivered(bytes(restored.envelope()))).isTrue();
		assertThat(this.envelopes.isRedelivered(bytes(raw))).isFalse();
		assertThat(this.envelopes.redelivered("garbage").envelope()).isEqualTo("garbage");
	}

	@Test
	void readsUnackedEntries() {
		Envelopes.Unacked entry = this.envelopes.unacked("[{\"headers\": {}, \"properties\": {\"priority\": 3}}, \"ex\", \"rk\"]");
		assertThat(entry).isNotNull();
		assertThat(entry.exchange()).isEqualTo("ex");
		assertThat(entry.routingKey()).isEqualTo("rk");
		assertThat(entry.message().priority()).isEqualTo(3);
		assertThat(entry.message().envelope()).contains("\"redelivered\": true");
		for (String bad : List.of("nope", "{}", "[1, \"a\", \"b\"]", "[{}, \"a\"]")) {
			assertThat(this.envelopes.unacked(bad)).as(bad).isNull();
		}
	}

	@Test
	void mapsPrioritiesToKombuSteps() {
		assertThat(List.of(-1, 0, 2, 3, 5, 6, 8, 9, 255).stream().map(RedisKeys::step).toList())
			.containsExactly(0, 0, 0, 3, 3, 6, 6, 9, 9);
		RedisKeys keys = new RedisKeys("p:");
		assertThat(new String(keys.list("celery", 7), StandardCharsets.UTF_8)).isEqualTo("p:celery\u0006\u00166");
		assertThat(new String(keys.list("celery", 0), StandardCharsets.UTF_8)).isEqualTo("p:celery");
		assertThat(new String(keys.unacked(), StandardCharsets.UTF_8)).isEqualTo("p:unacked");
		assertThat(new String(RedisKeys.bindingMember("rk", "", "q"), StandardCharsets.UTF_8))
			.isEqualTo("rk\u0006\u0016\u0006\u0016q");
	}

	@Test
	void writesAndReadsBroadcastEnvelopes() {
		BroadcastMessage message = new BroadcastMessage(Map.of("hostname", "j@h"), "application/json", "utf-8",
				bytes("{}"), false);
		String text = new String(this.envelopes.writeBroadcast(message, "celeryev", "worker.heartbeat", "tag-2"),
				StandardCharsets.UTF_8);
		assertThat(text).isEqualTo("{\"body\": \"e30=\", \"content-encoding\": \"utf-8\", \"content-type\": "
				+ "\"application/json\", \"headers\": {\"hostname\": \"j@h\"}, \"properties\": {\"delivery_mode\": 1, "
				+ "\"delivery_info\": {\"exchange\": \"celeryev\", \"routing_key\": \"worker.heartbeat\"}, "
				+ "\"priority\": 0, \"body_encoding\": \"base64\", \"delivery_tag\": \"tag-2\"}}");
		Envelopes.Broadcast read = this.envelopes.readBroadcast(bytes(text));
		assertThat(read.routingKey()).isEqualTo("worker.heartbeat");
		assertThat(read.message().headers()).isEqualTo(Map.of("hostname", "j@h"));
		assertThat(read.message().body()).isEqualTo(bytes("{}"));
		assertThat(read.message().persistent()).isFalse();

		Envelopes.Broadcast bare = this.envelopes
			.readBroadcast(bytes("{\"body\": \"[1]\", \"content-type\": \"application/json\", \"properties\": {}}"));
		assertThat(bare.routingKey()).isNull();
		assertThat(bare.message().headers()).isEmpty();
		assertThat(bare.message().contentEncoding()).isEqualTo("utf-8");
		assertThat(bare.message().persistent()).isTrue();
		assertThat(bare.message().body()).isEqualTo(bytes("[1]"));
	}

	@Test
	void namesFanoutChannelsAsKombuDoes() {
		RedisKeys keys = new RedisKeys("p:");
		assertThat(new String(keys.fanout(3, "celery.pidbox", ""), StandardCharsets.UTF_8))
			.isEqualTo("p:/3.celery.pidbox");
		assertThat(new String(keys.fanout(0, "celeryev", "worker.*"), StandardCharsets.UTF_8))
			.isEqualTo("p:/0.celeryev/worker.*");
		assertThat(keys.fanoutPart("p:/0.celeryev/worker.heartbeat")).isEqualTo("celeryev/worker.heartbeat");
		assertThat(keys.fanoutPart("p:/12.celery.pidbox")).isEqualTo("celery.pidbox");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
