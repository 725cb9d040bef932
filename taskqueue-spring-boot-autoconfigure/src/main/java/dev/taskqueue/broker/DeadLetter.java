package dev.taskqueue.broker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A message a worker moved aside because it could not handle it, as a {@link BrokerAdmin}
 * reads it back. The task id and name are read from the message's headers, so they are
 * missing for a message that was not a readable Celery message in the first place.
 *
 * @param queue the queue it was taken from
 * @param reason why it could not be handled
 * @param time when it was moved aside, or {@code null} when the transport does not record it
 * @param taskId the task id, or {@code null} when the message does not carry one
 * @param taskName the task name, or {@code null} when the message does not carry one
 * @param raw the message exactly as the transport holds it: the kombu envelope for Redis, the
 * body for RabbitMQ and for the in-memory broker
 */
public record DeadLetter(String queue, String reason, @Nullable Instant time, @Nullable String taskId,
		@Nullable String taskName, byte[] raw) {

	/** The raw message as UTF-8 text. */
	public String rawText() {
		return new String(this.raw, StandardCharsets.UTF_8);
	}

}
