package dev.taskqueue.sample;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.TaskRequest;

/**
 * The body of {@code POST /api/tasks/{name}}: Celery's {@code apply_async} arguments and
 * options, all optional. Unknown fields are rejected.
 *
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param countdown run no sooner than this many seconds from now
 * @param eta run no sooner than this ISO-8601 date-time (UTC when it has no offset)
 * @param expires do not run after this many seconds from now (a number) or after this ISO-8601
 * date-time (a string)
 * @param queue the queue to send to instead of the routed one
 * @param priority the message priority, 0 to 255
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SendTaskRequest(@Nullable List<@Nullable Object> args, @Nullable Map<String, @Nullable Object> kwargs,
		@Nullable Double countdown, @Nullable String eta, @Nullable Object expires, @Nullable String queue,
		@Nullable Integer priority) {

	/** A request with no arguments and no options. */
	public static final SendTaskRequest EMPTY = new SendTaskRequest(null, null, null, null, null, null, null);

	/**
	 * Apply the arguments and options to a task request.
	 * @param request the task request
	 * @return the task request
	 * @throws IllegalArgumentException when an option is invalid
	 */
	public TaskRequest applyTo(TaskRequest request) {
		if (this.countdown != null && this.eta != null) {
			throw new IllegalArgumentException("countdown and eta cannot both be given");
		}
		if (this.args != null) {
			request.args(this.args);
		}
		if (this.kwargs != null) {
			request.kwargs(this.kwargs);
		}
		if (this.countdown != null) {
			request.countdown(seconds("countdown", this.countdown));
		}
		if (this.eta != null) {
			request.eta(instant("eta", this.eta));
		}
		if (this.expires instanceof Number number) {
			request.expires(seconds("expires", number.doubleValue()));
		}
		else if (this.expires instanceof String text) {
			request.expires(instant("expires", text));
		}
		else if (this.expires != null) {
			throw new IllegalArgumentException(
					"expires must be a number of seconds or an ISO-8601 date-time, got " + this.expires);
		}
		if (this.queue != null) {
			request.queue(this.queue);
		}
		if (this.priority != null) {
			request.priority(this.priority);
		}
		return request;
	}

	private static Duration seconds(String name, double seconds) {
		if (Math.abs(seconds) > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(name + " is out of range: " + seconds);
		}
		return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
	}

	private static Instant instant(String name, String text) {
		try {
			TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text.trim(), OffsetDateTime::from,
					LocalDateTime::from);
			// Celery writes naive times in UTC
			return (parsed instanceof OffsetDateTime offset) ? offset.toInstant()
					: ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(name + " must be an ISO-8601 date-time, got '" + text + "'");
		}
	}

}
