package dev.taskqueue.dashboard;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DateParameters}.
 */
class DateParametersTests {

	private static final Instant NOON = Instant.parse("2026-01-01T12:00:00Z");

	@Test
	void readsTheFormsFlowerAndThePagesSend() {
		assertThat(DateParameters.parse("d", "2026-01-01T13:00:00+01:00")).isEqualTo(NOON);
		assertThat(DateParameters.parse("d", "2026-01-01 12:00")).isEqualTo(NOON);
		assertThat(DateParameters.parse("d", "2026-01-01T12:00")).isEqualTo(NOON);
		assertThat(DateParameters.parse("d", "2026-01-01 12:00:00.250000")).isEqualTo(NOON.plusMillis(250));
		assertThat(DateParameters.parse("d", String.valueOf(NOON.getEpochSecond()))).isEqualTo(NOON);
		assertThat(DateParameters.parse("d", " ")).isNull();
		assertThat(DateParameters.parse("d", null)).isNull();
	}

	@Test
	void anythingElseIsRefusedNamingTheParameter() {
		assertThatIllegalArgumentException().isThrownBy(() -> DateParameters.parse("received_start", "yesterday"))
			.withMessageStartingWith("'received_start' must be a date")
			.withMessageEndingWith("not 'yesterday'");
	}

}
