package dev.taskqueue.protocol;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CeleryJson}.
 */
class CeleryJsonTests {

	private final JsonMapper mapper = CeleryJson.newMapper();

	@Test
	void writesPythonJsonDumpsLayout() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("b", List.of(1, 2));
		value.put("a", Map.of());
		value.put("c", List.of());
		assertThat(this.mapper.writeValueAsString(value)).isEqualTo("{\"b\": [1, 2], \"a\": {}, \"c\": []}");
	}

	@Test
	void escapesNonAsciiAsPythonEnsureAsciiDoes() {
		assertThat(this.mapper.writeValueAsString(List.of("héllo ☃", "a/b", "😀")))
			.isEqualTo("[\"h\\u00e9llo \\u2603\", \"a/b\", \"\\ud83d\\ude00\"]");
	}

	@Test
	void readsAndWritesNonFiniteNumbersAsPythonDoes() {
		assertThat(this.mapper.readValue("[NaN, Infinity, -Infinity]", Object.class))
			.isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
		assertThat(this.mapper.writeValueAsString(List.of(Double.NaN, Double.NEGATIVE_INFINITY)))
			.isEqualTo("[NaN, -Infinity]");
	}

	@Test
	void writesJavaTimeAsIsoText() {
		assertThat(this.mapper.writeValueAsString(
				List.of(Instant.parse("2030-01-02T03:04:05Z"), LocalDate.of(2030, 1, 2), Duration.ofSeconds(90))))
			.isEqualTo("[\"2030-01-02T03:04:05Z\", \"2030-01-02\", \"PT1M30S\"]");
	}

	@Test
	void readsPlainValues() {
		Object value = this.mapper.readValue("{\"z\": 1, \"a\": 12345678901, \"m\": 123456789012345678901, \"f\": 1.5}",
				Object.class);
		assertThat(value).isInstanceOf(LinkedHashMap.class);
		Map<String, Object> map = CeleryFixtures.map(value);
		assertThat(map).containsExactly(Map.entry("z", 1), Map.entry("a", 12345678901L),
				Map.entry("m", new BigInteger("123456789012345678901")), Map.entry("f", 1.5));
	}

	@Test
	void ignoresUnknownProperties() {
		record Point(int x) {
		}
		assertThat(this.mapper.readValue("{\"x\": 1, \"y\": 2}", Point.class)).isEqualTo(new Point(1));
	}

}
