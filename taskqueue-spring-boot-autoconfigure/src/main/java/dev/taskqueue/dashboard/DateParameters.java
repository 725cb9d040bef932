package dev.taskqueue.dashboard;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Dates in requests to the dashboard and the REST API, in every form Flower takes and the
 * pages send: ISO-8601 with an offset, Flower's {@code yyyy-MM-dd HH:mm}, with seconds and
 * microseconds or not (read as UTC, as Flower's {@code %Y-%m-%d %H:%M:%S.%f}), or epoch seconds.
 */
final class DateParameters {

	private static final DateTimeFormatter FLOWER_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss[.SSSSSS]]");

	private DateParameters() {
	}

	// null for an absent or blank value; what no form reads is a 400 naming the parameter
	static @Nullable Instant parse(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.strip();
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			// not ISO-8601 with an offset: try the others
		}
		try {
			return LocalDateTime.parse(text.replace('T', ' '), FLOWER_DATE).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			// nor Flower's date
		}
		try {
			return Instant.ofEpochMilli(Math.round(Double.parseDouble(text) * 1000));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + name + "' must be a date such as '2026-01-01T12:00:00Z' or "
					+ "'2026-01-01 12:00' (UTC), or epoch seconds, not '" + text + "'");
		}
	}

}
