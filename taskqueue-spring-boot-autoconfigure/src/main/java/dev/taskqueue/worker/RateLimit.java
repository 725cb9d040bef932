package dev.taskqueue.worker;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A rate limit as Celery writes it: {@code "10/s"}, {@code "100/m"}, {@code "1000/h"}, or a
 * number, per second.
 *
 * @param tasks how many tasks may start in each period
 * @param period the period
 */
public record RateLimit(double tasks, Duration period) {

	/** No limit: Celery's rate limit of 0, which lifts a limit set elsewhere. */
	public static final RateLimit UNLIMITED = new RateLimit(Double.POSITIVE_INFINITY, Duration.ofSeconds(1));

	private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*([smh]))?");

	public RateLimit {
		Assert.isTrue(tasks > 0, "'tasks' must be positive");
		Assert.isTrue(!period.isNegative() && !period.isZero(), "'period' must be positive");
	}

	/**
	 * Parse Celery's form of a rate limit.
	 * @param text such as {@code 10/s}, {@code 100/m}, {@code 1000/h} or {@code 5}
	 * @return the rate limit, {@link #UNLIMITED} when it is zero (no limit, as in Celery), or
	 * {@code null} when the text is empty
	 * @throws IllegalArgumentException when the text is not a rate limit
	 */
	public static @Nullable RateLimit parse(String text) {
		String trimmed = text.trim();
		if (trimmed.isEmpty()) {
			return null;
		}
		Matcher matcher = FORMAT.matcher(trimmed);
		if (!matcher.matches()) {
			throw new IllegalArgumentException(
					"'" + text + "' is not a rate limit: write tasks per second, minute or hour, such as 10/s, 100/m, "
							+ "1000/h, or a number per second");
		}
		double tasks = Double.parseDouble(matcher.group(1));
		if (tasks == 0) {
			return UNLIMITED;
		}
		String unit = matcher.group(2);
		Duration period = (unit == null || unit.equals("s")) ? Duration.ofSeconds(1)
				: unit.equals("m") ? Duration.ofMinutes(1) : Duration.ofHours(1);
		return new RateLimit(tasks, period);
	}

	/**
	 * The time between two task starts at this rate.
	 * @return the interval
	 */
	public Duration interval() {
		if (this == UNLIMITED) {
			return Duration.ZERO;
		}
		return Duration.ofNanos((long) (this.period.toNanos() / this.tasks));
	}

	@Override
	public String toString() {
		if (this == UNLIMITED) {
			return "0";
		}
		String unit = this.period.equals(Duration.ofSeconds(1)) ? "s"
				: this.period.equals(Duration.ofMinutes(1)) ? "m" : "h";
		String count = (this.tasks == Math.rint(this.tasks)) ? Long.toString((long) this.tasks)
				: Double.toString(this.tasks);
		return count + "/" + unit;
	}

}
