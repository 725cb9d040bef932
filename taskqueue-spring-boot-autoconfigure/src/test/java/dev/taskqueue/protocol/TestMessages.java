package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-built encoded messages for codec tests.
 */
final class TestMessages {

	static final String ID = "00000000-0000-4000-8000-000000000001";

	static final MessageProperties PROPERTIES = new MessageProperties(ID, "reply", 2, 0, null);

	private TestMessages() {
	}

	static Map<String, Object> headers(Object... namesAndValues) {
		Map<String, Object> headers = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	static EncodedMessage message(Map<String, Object> headers, String contentType, String body) {
		return new EncodedMessage(headers, PROPERTIES, contentType, "utf-8", body.getBytes(StandardCharsets.UTF_8));
	}

	static TaskMessage decode(MessageCodec codec, Map<String, Object> headers, String body) {
		return codec.decode(message(headers, "application/json", body));
	}

}
