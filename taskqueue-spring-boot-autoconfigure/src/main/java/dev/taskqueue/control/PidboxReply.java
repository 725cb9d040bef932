package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A remote-control reply: the body {@code {<node>: <value>}} and the headers {@code ticket}
 * and {@code clock} (and {@code expires}, which Celery's replies do not carry but kombu's
 * collector honours).
 *
 * @param ticket the ticket of the request answered, {@code null} when the header is missing
 * @param clock the replying node's Lamport clock, {@code null} when the header is missing
 * @param expires the epoch seconds after which the reply is void, {@code null} when none
 * @param body the values by node name
 */
record PidboxReply(@Nullable String ticket, @Nullable Long clock, @Nullable Double expires,
		Map<String, @Nullable Object> body) {
}
