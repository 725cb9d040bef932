package dev.taskqueue.broker.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

/**
 * Words for what went wrong on a channel or connection, for exception and log messages:
 * RabbitMQ's own reply text ({@code NOT_FOUND - no exchange 'x' in vhost '/'}) when the
 * broker closed the channel or connection, otherwise the innermost message.
 */
final class AmqpErrors {

	private AmqpErrors() {
	}

	static String describe(Throwable failure) {
		Throwable innermost = failure;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal) {
				return describe(signal);
			}
			innermost = cause;
		}
		String message = innermost.getMessage();
		return (message != null && !message.isBlank()) ? message : innermost.getClass().getSimpleName();
	}

	static String describe(ShutdownSignalException signal) {
		Method reason = signal.getReason();
		String text = replyText(reason);
		if (text != null) {
			return text;
		}
		String message = signal.getMessage();
		return (message != null) ? message : "the " + (signal.isHardError() ? "connection" : "channel") + " closed";
	}

	private static @Nullable String replyText(@Nullable Method reason) {
		if (reason instanceof AMQP.Channel.Close close) {
			return close.getReplyText() + " (channel closed, code " + close.getReplyCode() + ")";
		}
		if (reason instanceof AMQP.Connection.Close close) {
			return close.getReplyText() + " (connection closed, code " + close.getReplyCode() + ")";
		}
		return null;
	}

}
