package dev.taskqueue.canvas;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.TaskMessage;

/**
 * Routes, encodes and publishes one task message of a canvas.
 */
@FunctionalInterface
public interface TaskMessageSender {

	/**
	 * Send a message.
	 * @param message the message
	 * @param queue the queue the signature asked for, or {@code null} to route by task name
	 * @throws RuntimeException when the message cannot be sent; the sender's own type
	 */
	void send(TaskMessage message, @Nullable String queue);

}
