package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.taskqueue.protocol.CeleryFixtures.list;
import static dev.taskqueue.protocol.CeleryFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden tests of {@link JsonResultMetaCodec#encodeRpc(ResultMeta)} against the rpc://
 * replies a Celery 5.2.6 worker published on RabbitMQ ({@code amqp/rpc-replies}).
 */
class RpcReplyFixtureTests {

	private final JsonResultMetaCodec codec = new JsonResultMetaCodec();

	static List<String> fixtures() {
		return CeleryFixtures.files("amqp/rpc-replies");
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void encodesRepliesLikeCelery(String file) {
		List<Object> messages = list(CeleryFixtures.load("amqp/rpc-replies/" + file).get("messages"));
		assertThat(messages).isNotEmpty();
		for (Object item : messages) {
			String body = (String) map(item).get("body_text");
			ResultMeta meta = this.codec.decode(body.getBytes(StandardCharsets.UTF_8));
			assertThat(meta.dateDone()).isNull();
			assertThat(meta.extended()).isNull();
			Map<String, Object> properties = map(map(item).get("properties_pyamqp"));
			assertThat(meta.taskId()).isEqualTo(properties.get("correlation_id"));
			assertThat(new String(this.codec.encodeRpc(meta), StandardCharsets.UTF_8)).isEqualTo(body);
		}
	}

}
