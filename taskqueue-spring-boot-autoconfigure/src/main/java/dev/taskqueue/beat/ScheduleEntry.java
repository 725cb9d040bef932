package dev.taskqueue.beat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * One periodic task, as an entry of Celery's {@code beat_schedule}: the task, its arguments,
 * where and how it is sent, and its schedule. Declare entries as beans, or under
 * {@code taskqueue.beat.schedule.<name>}; an entry of the properties replaces a bean of the
 * same name.
 *
 * <pre class="code">
 * &#64;Bean
 * ScheduleEntry addEveryTenSeconds() {
 *     return ScheduleEntry.builder("add-every-10s", "tasks.add").args(1, 2).every(Duration.ofSeconds(10)).build();
 * }
 * </pre>
 *
 * @param name the entry name, unique
 * @param task the task name
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param queue the queue to send to, or {@code null} for the routed one
 * @param priority the message priority, or {@code null}
 * @param countdown how long after its tick the task may run at the earliest, or {@code null}
 * @param expires how long a tick's message stays valid, or {@code null} for the default: the
 * time until the next tick
 * @param headers custom message headers
 * @param schedule when the task is due
 */
public record ScheduleEntry(String name, String task, List<@Nullable Object> args,
		Map<String, @Nullable Object> kwargs, @Nullable String queue, @Nullable Integer priority,
		@Nullable Duration countdown, @Nullable Duration expires, Map<String, @Nullable Object> headers,
		Schedule schedule) {

	public ScheduleEntry {
		Assert.hasText(name, "An entry needs a name");
		Assert.hasText(task, () -> "Entry '" + name + "' needs a task name");
		Assert.notNull(schedule, () -> "Entry '" + name + "' needs a schedule (every or cron)");
		Assert.isTrue(priority == null || (priority >= 0 && priority <= 255),
				() -> "Entry '" + name + "' has priority " + priority + ", not between 0 and 255");
		Assert.isTrue(countdown == null || !countdown.isNegative(),
				() -> "Entry '" + name + "' has countdown " + countdown + ", which must not be negative");
		Assert.isTrue(expires == null || (!expires.isNegative() && !expires.isZero()),
				() -> "Entry '" + name + "' has expires " + expires + ", which must be positive");
		args = Collections.unmodifiableList(new ArrayList<>(args));
		kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	/**
	 * Start an entry.
	 * @param name the entry name
	 * @param task the task name
	 * @return a builder
	 */
	public static Builder builder(String name, String task) {
		return new Builder(name, task);
	}

	/**
	 * Builds a {@link ScheduleEntry}; not thread-safe.
	 */
	public static final class Builder {

		private final String name;

		private final String task;

		private final List<@Nullable Object> args = new ArrayList<>();

		private final Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();

		private final Map<String, @Nullable Object> headers = new LinkedHashMap<>();

		private @Nullable String queue;

		private @Nullable Integer priority;

		private @Nullable Duration countdown;

		private @Nullable Duration expires;

		private @Nullable Schedule schedule;

		private Builder(String name, String task) {
			this.name = name;
			this.task = task;
		}

		/**
		 * Set the positional arguments, JSON-serializable.
		 * @param args the arguments
		 * @return this builder
		 */
		public Builder args(@Nullable Object... args) {
			this.args.clear();
			this.args.addAll(Arrays.asList(args));
			return this;
		}

		/**
		 * Add keyword arguments, JSON-serializable.
		 * @param kwargs the keyword arguments
		 * @return this builder
		 */
		public Builder kwargs(Map<String, ?> kwargs) {
			this.kwargs.putAll(kwargs);
			return this;
		}

		/**
		 * Send to this queue instead of the routed one.
		 * @param queue the queue
		 * @return this builder
		 */
		public Builder queue(@Nullable String queue) {
			this.queue = queue;
			return this;
		}

		/**
		 * Set the message priority.
		 * @param priority the priority, 0 to 255
		 * @return this builder
		 */
		public Builder priority(@Nullable Integer priority) {
			this.priority = priority;
			return this;
		}

		/**
		 * Let each tick's task run no sooner than this long after the tick (Celery's
		 * {@code countdown}).
		 * @param countdown the countdown
		 * @return this builder
		 */
		public Builder countdown(@Nullable Duration countdown) {
			this.countdown = countdown;
			return this;
		}

		/**
		 * Set how long a tick's message stays valid, instead of the time until the next tick.
		 * @param expires the expiry
		 * @return this builder
		 */
		public Builder expires(@Nullable Duration expires) {
			this.expires = expires;
			return this;
		}

		/**
		 * Add a custom message header.
		 * @param name the header name
		 * @param value the value
		 * @return this builder
		 */
		public Builder header(String name, @Nullable Object value) {
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Run every interval (Celery's {@code timedelta} or seconds).
		 * @param every the interval
		 * @return this builder
		 */
		public Builder every(Duration every) {
			this.schedule = Schedule.every(every);
			return this;
		}

		/**
		 * Run on a crontab, {@code minute hour day-of-month month day-of-week} with Celery's
		 * day-of-week numbering (0 or 7 = Sunday).
		 * @param expression the crontab
		 * @return this builder
		 */
		public Builder cron(String expression) {
			this.schedule = Schedule.cron(expression);
			return this;
		}

		/**
		 * Run on a schedule.
		 * @param schedule the schedule
		 * @return this builder
		 */
		public Builder schedule(Schedule schedule) {
			this.schedule = schedule;
			return this;
		}

		/**
		 * Build the entry.
		 * @return the entry
		 * @throws IllegalArgumentException when the entry is incomplete or invalid, naming it
		 */
		public ScheduleEntry build() {
			Assert.notNull(this.schedule, () -> "Entry '" + this.name + "' needs a schedule (every or cron)");
			return new ScheduleEntry(this.name, this.task, this.args, this.kwargs, this.queue, this.priority,
					this.countdown, this.expires, this.headers, this.schedule);
		}

	}

}
