package dev.taskqueue.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The AMQP-style properties of a task message that Celery sets (on Redis they live in the
 * envelope's {@code properties} object). Transport bookkeeping such as delivery tags is not
 * part of this type.
 *
 * @param correlationId the task id, used by the rpc backend to correlate replies
 * @param replyTo the sender's reply queue (Celery's thread oid), or {@code null}
 * @param deliveryMode 2 for persistent, 1 for transient
 * @param priority 0 to 255 on AMQP, 0 to 9 on Redis
 * @param expiration milliseconds until expiry as a decimal string when the task expires
 */
public record MessageProperties(String correlationId, @Nullable String replyTo, int deliveryMode, int priority,
		@Nullable String expiration) {

	/** Persistent delivery, as Celery's {@code task_default_delivery_mode}. */
	public static final int PERSISTENT = 2;

}
