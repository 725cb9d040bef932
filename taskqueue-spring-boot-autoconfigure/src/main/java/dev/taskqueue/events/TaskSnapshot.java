package dev.taskqueue.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A task as its events show it, at one moment, with the fields of Celery's
 * {@code celery.events.state.Task}. Arguments, keyword arguments and results are the Python
 * reprs the events carry.
 *
 * @param uuid the task id
 * @param name the task name
 * @param state {@code PENDING}, {@code RECEIVED}, {@code STARTED}, {@code SUCCESS},
 * {@code FAILURE}, {@code RETRY}, {@code REVOKED}, {@code REJECTED}, or a custom state
 * @param args the positional arguments' repr
 * @param kwargs the keyword arguments' repr
 * @param sent when {@code task-sent} was sent
 * @param received when {@code task-received} was sent
 * @param started when {@code task-started} was sent
 * @param succeeded when {@code task-succeeded} was sent
 * @param failed when {@code task-failed} was sent
 * @param retried when {@code task-retried} was sent
 * @param revoked when {@code task-revoked} was sent
 * @param rejected when {@code task-rejected} was sent
 * @param timestamp the time of the event that set the state
 * @param result the result's repr
 * @param exception the exception's repr
 * @param traceback the traceback
 * @param runtime the seconds it ran
 * @param retries the number of retries
 * @param eta the ETA as sent
 * @param expires the expiry as sent
 * @param rootId the root task's id
 * @param parentId the parent task's id
 * @param worker the hostname of the worker that sent its events
 * @param client the hostname of the client that sent {@code task-sent}
 * @param exchange the exchange it was sent to
 * @param routingKey the routing key it was sent with
 * @param firstSeen when its first event arrived here
 */
public record TaskSnapshot(String uuid, @Nullable String name, String state, @Nullable String args,
		@Nullable String kwargs, @Nullable Instant sent, @Nullable Instant received, @Nullable Instant started,
		@Nullable Instant succeeded, @Nullable Instant failed, @Nullable Instant retried, @Nullable Instant revoked,
		@Nullable Instant rejected, @Nullable Instant timestamp, @Nullable String result, @Nullable String exception,
		@Nullable String traceback, @Nullable Double runtime, @Nullable Integer retries, @Nullable String eta,
		@Nullable String expires, @Nullable String rootId, @Nullable String parentId, @Nullable String worker,
		@Nullable String client, @Nullable String exchange, @Nullable String routingKey, Instant firstSeen) {

}
