package dev.taskqueue.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

import org.jspecify.annotations.Nullable;

/**
 * Celery's time format. Writes {@code 2026-11-21T17:07:18.414351+00:00}: exactly six
 * fractional digits, because Celery 5.2 rejects more, and an explicit offset. Reads what
 * every Celery version writes: with or without fraction (up to nine digits), with {@code Z},
 * an offset, or no offset at all (meaning UTC, as in {@code date_done} of Celery 5.2 and 5.3).
 */
public final class CeleryTime {

	private static final DateTimeFormatter WRITER = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

	private static final DateTimeFormatter READER = new DateTimeFormatterBuilder().parseCaseInsensitive()
		.append(DateTimeFormatter.ISO_LOCAL_DATE)
		.appendLiteral('T')
		.appendValue(ChronoField.HOUR_OF_DAY, 2)
		.appendLiteral(':')
		.appendValue(ChronoField.MINUTE_OF_HOUR, 2)
		.optionalStart()
		.appendLiteral(':')
		.appendValue(ChronoField.SECOND_OF_MINUTE, 2)
		.optionalStart()
		.appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
		.optionalEnd()
		.optionalEnd()
		.optionalStart()
		.appendOffset("+HH:MM", "Z")
		.optionalEnd()
		.optionalStart()
		.appendOffset("+HHMM", "Z")
		.optionalEnd()
		.toFormatter();

	private CeleryTime() {
	}

	/**
	 * Format an instant in UTC the way Celery reads it everywhere.
	 * @param instant the instant
	 * @return the ISO-8601 text with six fractional digits and {@code +00:00}
	 */
	public static String format(Instant instant) {
		return WRITER.format(instant.atOffset(ZoneOffset.UTC));
	}

	/**
	 * Parse a Celery timestamp; a timestamp with no offset is UTC.
	 * @param text the text
	 * @return the instant
	 * @throws DateTimeParseException when the text is not an ISO-8601 date-time
	 */
	public static Instant parse(String text) {
		Instant common = parseCommon(text);
		if (common != null) {
			return common;
		}
		var parsed = READER.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
		if (parsed instanceof OffsetDateTime offsetDateTime) {
			return offsetDateTime.toInstant();
		}
		return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
	}

	/**
	 * Parse the shape Celery writes for every {@code date_done} and ETA without the
	 * formatter, which is slow for a hot path: {@code uuuu-MM-ddTHH:mm:ss}, an optional
	 * fraction of one to nine digits, then nothing, {@code Z} or {@code +HH:MM}/{@code -HH:MM}.
	 * @param text the text
	 * @return the instant, or {@code null} for any other shape or an invalid value, left to
	 * the formatter (which then explains what is wrong)
	 */
	private static @Nullable Instant parseCommon(String text) {
		int length = text.length();
		if (length < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
				|| text.charAt(13) != ':' || text.charAt(16) != ':') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if ((year | month | day | hour | minute | second) < 0) {
			return null;
		}
		int index = 19;
		int nanos = 0;
		if (index < length && text.charAt(index) == '.') {
			int start = ++index;
			while (index < length && index - start < 9 && isDigit(text.charAt(index))) {
				nanos = nanos * 10 + (text.charAt(index++) - '0');
			}
			int count = index - start;
			if (count == 0) {
				return null;
			}
			for (int i = count; i < 9; i++) {
				nanos *= 10;
			}
		}
		int offsetSeconds = 0;
		if (index < length) {
			char sign = text.charAt(index);
			if (sign == 'Z' && index + 1 == length) {
				index++;
			}
			else if ((sign == '+' || sign == '-') && index + 6 == length && text.charAt(index + 3) == ':') {
				int offsetHours = digits(text, index + 1, 2);
				int offsetMinutes = digits(text, index + 4, 2);
				if ((offsetHours | offsetMinutes) < 0 || offsetHours > 18 || offsetMinutes > 59) {
					return null;
				}
				offsetSeconds = ((sign == '-') ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
				index += 6;
			}
			else {
				return null;
			}
		}
		try {
			return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
				.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	// the value of count decimal digits from start, or -1 when one is not a digit
	private static int digits(String text, int start, int count) {
		int value = 0;
		for (int i = start; i < start + count; i++) {
			char c = text.charAt(i);
			if (!isDigit(c)) {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	// an ASCII digit
	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
