/**
 * Kombu's Redis transport ({@code redis://}), byte-compatible with kombu 5.2.4 so that Java
 * and Python Celery producers and workers share queues: the JSON envelope in lists (one per
 * priority step), the {@code _kombu.binding.*} sets, and ack emulation with the
 * {@code unacked} hash, the {@code unacked_index} sorted set and the {@code unacked_mutex}
 * lock, including the restore of messages whose consumer went away; and the broadcast
 * traffic of remote control and events: fanout exchanges over pub/sub
 * ({@code /<db>.<exchange>} channels) and direct exchanges through their binding sets.
 */
@NullMarked
package dev.taskqueue.broker.redis;

import org.jspecify.annotations.NullMarked;
