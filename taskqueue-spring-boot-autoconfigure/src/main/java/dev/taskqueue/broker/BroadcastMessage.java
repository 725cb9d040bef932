package dev.taskqueue.broker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * A broadcast message: a remote-control request or reply, or an event. The body is the
 * serialized payload (JSON in practice); the transport does not read it.
 *
 * @param headers the message headers, such as {@code ticket} and {@code clock}; values are
 * {@code null}, strings, numbers, booleans, lists and maps
 * @param contentType the body's serialization, such as {@code application/json}
 * @param contentEncoding the body's text encoding, such as {@code utf-8}
 * @param body the body bytes
 * @param persistent whether the message is published persistent ({@code delivery_mode} 2, as
 * Celery publishes remote-control requests) or transient (1: replies and events)
 */
public record BroadcastMessage(Map<String, Object> headers, String contentType, String contentEncoding, byte[] body,
		boolean persistent) {

	public BroadcastMessage {
		Assert.notNull(headers, "'headers' must not be null");
		Assert.hasText(contentType, "'contentType' must not be empty");
		Assert.hasText(contentEncoding, "'contentEncoding' must not be empty");
		Assert.notNull(body, "'body' must not be null");
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

}
