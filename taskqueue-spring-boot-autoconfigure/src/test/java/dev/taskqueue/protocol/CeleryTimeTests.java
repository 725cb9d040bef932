package dev.taskqueue.protocol;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CeleryTime}.
 */
class CeleryTimeTests {

	@Test
	void formatWritesSixFractionalDigitsAndAnExplicitOffset() {
		assertThat(CeleryTime.format(Instant.parse("2026-11-21T17:07:18.414351Z")))
			.isEqualTo("2026-11-21T17:07:18.414351+00:00");
	}

	@Test
	void formatWritesSixDigitsForWholeSeconds() {
		assertThat(CeleryTime.format(Instant.parse("2030-01-02T03:04:05Z")))
			.isEqualTo("2030-01-02T03:04:05.000000+00:00");
	}

	@Test
	void formatDropsNanosecondsThatCelery52CannotRead() {
		assertThat(CeleryTime.format(Instant.parse("2030-01-02T03:04:05.123456789Z")))
			.isEqualTo("2030-01-02T03:04:05.123456+00:00");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			2030-01-02T03:04:05                   | 2030-01-02T03:04:05Z
			2030-01-02T03:04:05+00:00             | 2030-01-02T03:04:05Z
			2030-01-02T03:04:05.411Z              | 2030-01-02T03:04:05.411Z
			2030-01-02T03:04:05.678901+00:00      | 2030-01-02T03:04:05.678901Z
			2030-01-02T03:04:05.123456789Z        | 2030-01-02T03:04:05.123456789Z
			2030-01-02T03:04:05Z                  | 2030-01-02T03:04:05Z
			2030-01-02T05:04:05+02:00             | 2030-01-02T03:04:05Z
			2030-01-02T05:04:05.5+0200            | 2030-01-02T03:04:05.5Z
			2030-01-01T22:04:05-05:00             | 2030-01-02T03:04:05Z
			2026-11-21T17:12:40.954801            | 2026-11-21T17:12:40.954801Z
			""")
	void parseReadsEveryFormCeleryWrites(String text, String expected) {
		assertThat(CeleryTime.parse(text)).isEqualTo(Instant.parse(expected));
	}

	@Test
	void parseTreatsNaiveTimesAsUtc() {
		assertThat(CeleryTime.parse("2026-11-21T17:12:40.954801"))
			.isEqualTo(CeleryTime.parse("2026-11-21T17:12:40.954801+00:00"));
	}

	@Test
	void formatThenParseRoundTrips() {
		Instant instant = Instant.parse("2026-11-21T17:07:18.414351Z");
		assertThat(CeleryTime.parse(CeleryTime.format(instant))).isEqualTo(instant);
	}

	@Test
	void parseRejectsText() {
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> CeleryTime.parse("tomorrow"));
	}

}
