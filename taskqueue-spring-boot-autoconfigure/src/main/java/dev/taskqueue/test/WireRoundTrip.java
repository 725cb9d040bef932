package dev.taskqueue.test;

import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.core.TaskSendException;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Reads a published message back as a worker would receive it: the headers through JSON (as
 * the Redis transport carries them, so a header value with no JSON form fails here too) and
 * the body bytes through the codec.
 */
final class WireRoundTrip {

	private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() {
	};

	private final MessageCodec codec;

	private final JsonMapper mapper = CeleryJson.newMapper();

	WireRoundTrip(MessageCodec codec) {
		this.codec = codec;
	}

	TaskMessage decode(EncodedMessage sent, String taskName) {
		Map<String, Object> headers;
		try {
			headers = this.mapper.readValue(this.mapper.writeValueAsBytes(sent.headers()), HEADERS);
		}
		catch (JacksonException ex) {
			throw new TaskSendException(
					"Task '" + taskName + "' has headers that cannot be serialized to JSON: " + ex.getOriginalMessage(),
					ex);
		}
		EncodedMessage received = new EncodedMessage(headers, sent.properties(), sent.contentType(),
				sent.contentEncoding(), sent.body().clone());
		try {
			return this.codec.decode(received);
		}
		catch (MessageDecodingException ex) {
			throw new TaskSendException("Task '" + taskName + "' was encoded into a message that cannot be decoded: "
					+ ex.getMessage(), ex);
		}
	}

	MessageCodec codec() {
		return this.codec;
	}

}
