package dev.taskqueue.protocol;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link KombuJson}: the typed values of kombu 5.3+.
 */
class KombuJsonTests {

	private static Object read(String json) {
		return KombuJson.unwrap(CeleryFixtures.MAPPER.readValue(json, Object.class));
	}

	@Test
	void datesAndTimesBecomeTheirIsoText() {
		assertThat(read("""
				[{"__type__": "datetime", "__value__": "2024-01-02T03:04:05+00:00"},
				 {"__type__": "date", "__value__": "2024-01-02"},
				 {"__type__": "time", "__value__": "03:04:05.000123"}]"""))
			.isEqualTo(List.of("2024-01-02T03:04:05+00:00", "2024-01-02", "03:04:05.000123"));
	}

	@Test
	void decimalsBecomeTheirText() {
		assertThat(read("{\"__type__\": \"decimal\", \"__value__\": \"1.5\"}")).isEqualTo("1.5");
	}

	@Test
	void uuidsBecomeTheCanonicalText() {
		assertThat(read("{\"__type__\": \"uuid\", \"__value__\": {\"hex\": \"12345678123456781234567812345678\"}}"))
			.isEqualTo("12345678-1234-5678-1234-567812345678");
		assertThat(read("""
				{"__type__": "uuid", "__value__": {"hex": "ABCDEF00123456781234567812345678", "version": 4}}"""))
			.isEqualTo("abcdef00-1234-5678-1234-567812345678");
	}

	@Test
	void bytesAndBase64BecomeTheText() {
		assertThat(read("""
				[{"__type__": "bytes", "__value__": "abc"}, {"__type__": "base64", "__value__": "AAE="}]"""))
			.isEqualTo(List.of("abc", "AAE="));
	}

	@Test
	void typedValuesAreFoundAnywhere() {
		assertThat(read("""
				[[1, {"when": {"__type__": "date", "__value__": "2024-01-02"}}],
				 {"k": [{"__type__": "decimal", "__value__": "2"}]}]"""))
			.isEqualTo(List.of(List.of(1, Map.of("when", "2024-01-02")), Map.of("k", List.of("2"))));
	}

	@Test
	void objectsWithOtherKeysArePlainObjects() {
		Object value = read("{\"__type__\": \"decimal\", \"__value__\": \"1.5\", \"other\": 1}");
		assertThat(value).isEqualTo(Map.of("__type__", "decimal", "__value__", "1.5", "other", 1));
		assertThat(read("{\"__type__\": \"decimal\"}")).isEqualTo(Map.of("__type__", "decimal"));
	}

	@Test
	void valuesWithoutTypedValuesAreReturnedAsTheyAre() {
		Object value = CeleryFixtures.MAPPER.readValue("[1, {\"a\": [2]}]", Object.class);
		assertThat(KombuJson.unwrap(value)).isSameAs(value);
	}

	@Test
	void unknownTypesAreErrors() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> read("[{\"__type__\": \"timedelta\", \"__value__\": 5}]"))
			.withMessageContaining("'timedelta'");
	}

	@Test
	void malformedValuesAreErrors() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> read("{\"__type__\": \"uuid\", \"__value__\": {\"hex\": \"xyz\"}}"))
			.withMessageContaining("uuid");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> read("{\"__type__\": \"decimal\", \"__value__\": 1.5}"))
			.withMessageContaining("decimal");
	}

}
