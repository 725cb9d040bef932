package dev.taskqueue.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

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
		var parsed = READER.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
		if (parsed instanceof OffsetDateTime offsetDateTime) {
			return offsetDateTime.toInstant();
		}
		return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
	}

}
