package dev.taskqueue.beat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskRequest;
import dev.taskqueue.protocol.CeleryTime;

/**
 * Sends one tick of an entry as an ordinary task message, with the headers that name the entry
 * and the time the tick was due, and an expiry: the entry's own, or the time until its next
 * tick.
 */
final class BeatTicks {

	private final TaskOperations tasks;

	private final ZoneId zone;

	BeatTicks(TaskOperations tasks, ZoneId zone) {
		this.tasks = tasks;
		this.zone = zone;
	}

	/**
	 * Send a tick.
	 * @param entry the entry
	 * @param due when the tick was due
	 * @param now the current time, from which the expiry counts
	 * @return the id of the task sent
	 * @throws dev.taskqueue.core.TaskSendException when it cannot be sent
	 */
	String send(ScheduleEntry entry, Instant due, Instant now) {
		Duration expires = (entry.expires() != null) ? entry.expires() : entry.schedule().expiryOf(due, this.zone);
		TaskRequest request = this.tasks.task(entry.task())
			.args(entry.args())
			.kwargs(entry.kwargs())
			.expires(now.plus(expires))
			.header(BeatScheduler.ENTRY_HEADER, entry.name())
			.header(BeatScheduler.DUE_HEADER, CeleryTime.format(due));
		entry.headers().forEach(request::header);
		if (entry.queue() != null) {
			request.queue(entry.queue());
		}
		if (entry.countdown() != null) {
			request.eta(now.plus(entry.countdown()));
		}
		if (entry.priority() != null) {
			request.priority(entry.priority());
		}
		return request.send().id();
	}

}
