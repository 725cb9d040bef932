package dev.taskqueue.beat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One field of a crontab, parsed as Celery 5.2's {@code crontab_parser} does: a comma-separated
 * list of {@code *}, {@code n}, {@code a-b} (wrapping around when {@code b < a}, as
 * {@code 22-2} for the hours), each optionally with a step {@code /s} applied to the list so
 * expanded.
 * <p>
 * Deliberately stricter than Celery, which ignores trailing text after a range
 * ({@code 1-5-7}), accepts {@code _} in numbers and any word starting with a day's three
 * letters ({@code monkey}) in every field: here only ASCII digits, and day names (a prefix of
 * at least three letters of the English name, any case) only in {@code day_of_week}. Unlike
 * Celery, {@code day_of_week} also accepts 7 for Sunday, as cron does.
 *
 * @param name the field's name in Celery, for errors
 * @param spec the field as written
 * @param bits bit {@code v} set when value {@code v} matches
 */
record CrontabField(String name, String spec, long bits) {

	private static final String[] DAYS = { "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
			"saturday" };

	/**
	 * Parse a field.
	 * @param name the field's name in Celery ({@code day_of_week} accepts names and 7)
	 * @param spec the field, {@code null} meaning {@code *}
	 * @param min the least value
	 * @param max the greatest value
	 * @return the field
	 * @throws IllegalArgumentException when it is invalid, naming the field and value
	 */
	static CrontabField parse(String name, @Nullable String spec, int min, int max) {
		String field = (spec != null) ? spec.strip() : "*";
		boolean weekdays = "day_of_week".equals(name);
		long bits = 0;
		for (String part : field.split(",", -1)) {
			if (part.isEmpty()) {
				throw invalid(name, "empty part in '" + field + "'");
			}
			for (int value : expand(name, part, min, max, weekdays)) {
				bits |= 1L << ((weekdays && value == 7) ? 0 : value);
			}
		}
		return new CrontabField(name, field, bits);
	}

	private static List<Integer> expand(String name, String part, int min, int max, boolean weekdays) {
		int slash = part.indexOf('/');
		String range = (slash < 0) ? part : part.substring(0, slash);
		List<Integer> values = new ArrayList<>();
		if (range.equals("*")) {
			// Celery's * is 0-6 for the days of the week, 7 being this class's extension
			for (int v = min; v <= (weekdays ? 6 : max); v++) {
				values.add(v);
			}
		}
		else {
			int dash = range.indexOf('-');
			if (dash < 0 && slash >= 0) {
				throw invalid(name, "a step needs * or a range before it, got '" + part + "'");
			}
			int from = value(name, part, (dash < 0) ? range : range.substring(0, dash), min, max, weekdays);
			int to = (dash < 0) ? from : value(name, part, range.substring(dash + 1), min, max, weekdays);
			int wrap = weekdays ? 6 : max;
			if (to < from) {
				for (int v = from; v <= wrap; v++) {
					values.add(v);
				}
				from = min;
			}
			for (int v = from; v <= to; v++) {
				values.add(v);
			}
		}
		if (slash < 0) {
			return values;
		}
		int step = step(name, part.substring(slash + 1), part);
		List<Integer> stepped = new ArrayList<>();
		for (int i = 0; i < values.size(); i += step) {
			stepped.add(values.get(i));
		}
		return stepped;
	}

	private static int step(String name, String step, String part) {
		if (!digits(step)) {
			throw invalid(name, "the step of '" + part + "' is not a number");
		}
		if (step.length() > 9 || Integer.parseInt(step) == 0) {
			throw invalid(name, "the step of '" + part + "' must be between 1 and 999999999");
		}
		return Integer.parseInt(step);
	}

	private static int value(String name, String part, String token, int min, int max, boolean weekdays) {
		int value;
		if (digits(token)) {
			value = (token.length() > 9) ? Integer.MAX_VALUE : Integer.parseInt(token);
		}
		else if (weekdays && token.length() >= 3 && dayIndex(token) >= 0) {
			return dayIndex(token);
		}
		else {
			throw invalid(name, "'" + (token.isEmpty() ? part : token) + "' is not a number"
					+ (weekdays ? " or a day name" : "") + (token.isEmpty() ? " or range" : ""));
		}
		int greatest = weekdays ? 7 : max;
		if (value < min || value > greatest) {
			throw invalid(name, value + " is not between " + min + " and " + greatest);
		}
		return value;
	}

	private static boolean digits(String token) {
		return !token.isEmpty() && token.chars().allMatch((c) -> c >= '0' && c <= '9');
	}

	private static int dayIndex(String token) {
		String lower = token.toLowerCase(Locale.ROOT);
		for (int i = 0; i < DAYS.length; i++) {
			if (DAYS[i].startsWith(lower)) {
				return i;
			}
		}
		return -1;
	}

	private static IllegalArgumentException invalid(String name, String reason) {
		return new IllegalArgumentException("Invalid crontab field '" + name + "': " + reason);
	}

	/**
	 * Return whether a value matches.
	 * @param value the value
	 * @return whether it matches
	 */
	boolean matches(int value) {
		return (this.bits & (1L << value)) != 0;
	}

	/**
	 * Return the least matching value at or above a value.
	 * @param value the value
	 * @return the matching value, or -1 when none is
	 */
	int nextFrom(int value) {
		long above = this.bits & (-1L << value);
		return (above != 0) ? Long.numberOfTrailingZeros(above) : -1;
	}

}
