package dev.taskqueue.protocol;

import java.util.Map;

/**
 * A task message as it travels: headers as a JSON-like table, properties, and the serialized
 * (and possibly compressed) body. Transports map this onto their own envelope or frame.
 *
 * @param headers header table in Celery's order; values are {@code null}, strings, numbers,
 * booleans, lists and maps
 * @param properties the message properties
 * @param contentType body serialization, such as {@code application/json}
 * @param contentEncoding body text encoding, such as {@code utf-8} or {@code binary}
 * @param body the body bytes
 */
public record EncodedMessage(Map<String, Object> headers, MessageProperties properties, String contentType,
		String contentEncoding, byte[] body) {

	/** Size of the message on the wire that this library checks against its payload limit. */
	public int size() {
		return this.body.length;
	}

}
