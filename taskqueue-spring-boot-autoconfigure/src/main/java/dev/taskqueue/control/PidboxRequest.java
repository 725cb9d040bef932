package dev.taskqueue.control;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A remote-control request as kombu's {@code Mailbox._publish} sends it: the body
 * {@code {method, arguments, destination, pattern, matcher[, ticket, reply_to]}} and the
 * {@code clock} header.
 *
 * @param method the command's name
 * @param arguments the command's keyword arguments
 * @param destination the node names addressed, or {@code null} for every node
 * @param pattern a pattern of node names, when no destination is given
 * @param matcher {@code glob} or {@code pcre}, how the pattern is matched
 * @param ticket the id of this request that replies carry, when a reply is wanted
 * @param replyTo where replies go, {@code null} when no reply is wanted
 * @param clock the sender's Lamport clock, {@code null} when the header is missing
 */
record PidboxRequest(String method, Map<String, @Nullable Object> arguments, @Nullable List<String> destination,
		@Nullable String pattern, @Nullable String matcher, @Nullable String ticket, @Nullable ReplyTo replyTo,
		@Nullable Long clock) {

	/**
	 * Where the replies of a request go.
	 *
	 * @param exchange the reply exchange, {@code reply.celery.pidbox}
	 * @param routingKey the client's oid
	 */
	record ReplyTo(String exchange, String routingKey) {
	}

}
