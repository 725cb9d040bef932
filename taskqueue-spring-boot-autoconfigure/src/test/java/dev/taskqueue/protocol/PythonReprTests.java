package dev.taskqueue.protocol;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.taskqueue.protocol.CeleryFixtures.list;
import static dev.taskqueue.protocol.CeleryFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PythonRepr} and {@link PythonNumbers}. The expected texts of the
 * {@code saferepr_cases} fixture were computed by Celery 5.2.6's own
 * {@code celery.utils.saferepr.saferepr(..., 1024)}.
 */
class PythonReprTests {

	private static final String CASES = "python-saferepr/saferepr_cases.json";

	static List<Map<String, Object>> argsCases() {
		return CeleryFixtures.maps(CeleryFixtures.load(CASES).get("args"));
	}

	static List<Map<String, Object>> kwargsCases() {
		return CeleryFixtures.maps(CeleryFixtures.load(CASES).get("kwargs"));
	}

	@ParameterizedTest
	@MethodSource("argsCases")
	void argsEqualCeleryArgsrepr(Map<String, Object> testCase) {
		assertThat(PythonRepr.args(list(testCase.get("args")))).isEqualTo(testCase.get("argsrepr"));
	}

	@ParameterizedTest
	@MethodSource("kwargsCases")
	void kwargsEqualCeleryKwargsrepr(Map<String, Object> testCase) {
		assertThat(PythonRepr.kwargs(map(testCase.get("kwargs")))).isEqualTo(testCase.get("kwargsrepr"));
	}

	@Test
	void tuples() {
		assertThat(PythonRepr.args(List.of(2, 3))).isEqualTo("(2, 3)");
		assertThat(PythonRepr.args(List.of(1))).isEqualTo("(1,)");
		assertThat(PythonRepr.args(List.of())).isEqualTo("()");
	}

	@Test
	void dicts() {
		Map<String, Object> kwargs = new LinkedHashMap<>();
		kwargs.put("x", 2);
		kwargs.put("y", 3);
		assertThat(PythonRepr.kwargs(kwargs)).isEqualTo("{'x': 2, 'y': 3}");
		assertThat(PythonRepr.kwargs(Map.of())).isEqualTo("{}");
		assertThat(PythonRepr.kwargs(Map.of("d", Map.of("k", List.of("v"))))).isEqualTo("{'d': {'k': ['v']}}");
	}

	@Test
	void constants() {
		assertThat(PythonRepr.args(Arrays.asList(null, true, false))).isEqualTo("(None, True, False)");
	}

	@Test
	void stringsAreSingleQuotedWithOnlyTheQuoteEscapedAsCeleryDoes() {
		assertThat(PythonRepr.args(List.of("a", "it's", "say \"hi\"", "tab\there"))).isEqualTo(
				"('a', 'it\\'s', 'say \"hi\"', 'tab\there')");
		assertThat(PythonRepr.args(List.of("héllo ☃"))).isEqualTo("('héllo ☃',)");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			1.0                     | 1.0
			0.3                     | 0.3
			-2.5                    | -2.5
			1e16                    | 1e+16
			1e15                    | 1000000000000000.0
			1e-5                    | 1e-05
			0.0001                  | 0.0001
			1.5e300                 | 1.5e+300
			123456789.125           | 123456789.125
			0.30000000000000004     | 0.30000000000000004
			5e-324                  | 5e-324
			1.7976931348623157e308  | 1.7976931348623157e+308
			2.5e-7                  | 2.5e-07
			""")
	void floatsArePrintedAsPythonDoes(double value, String expected) {
		assertThat(PythonNumbers.repr(value)).isEqualTo(expected);
	}

	@Test
	void specialFloats() {
		assertThat(PythonNumbers.repr(Double.NaN)).isEqualTo("nan");
		assertThat(PythonNumbers.repr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
		assertThat(PythonNumbers.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
		assertThat(PythonNumbers.repr(-0.0)).isEqualTo("-0.0");
		assertThat(PythonNumbers.repr(0.0)).isEqualTo("0.0");
	}

	@Test
	void javaNumbersAreShownAsPythonReadsThemFromJson() {
		assertThat(PythonRepr.args(List.of(0.1f, 7L, new BigDecimal("5"), new BigDecimal("1.50"), (short) 3)))
			.isEqualTo("(0.1, 7, 5, 1.5, 3)");
	}

	@Test
	void javaObjectsAreShownAsTheJsonValuesPythonReceives() {
		record Point(int x, int y) {
		}
		List<Object> args = new ArrayList<>();
		args.add(new Point(1, 2));
		args.add(Instant.parse("2030-01-02T03:04:05Z"));
		args.add(new LinkedHashSet<>(List.of("a", "b")));
		args.add('c');
		assertThat(PythonRepr.args(args)).isEqualTo("({'x': 1, 'y': 2}, '2030-01-02T03:04:05Z', ['a', 'b'], 'c')");
	}

	@Test
	void deepContainersAreElided() {
		assertThat(PythonRepr.args(List.of(List.of(1, List.of(2, List.of(3, List.of(4)))))))
			.isEqualTo("([1, [2, [...]]],)");
	}

	@Test
	void longReprsAreTruncatedNearMaxLength() {
		List<Object> args = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			args.add(i);
		}
		String repr = PythonRepr.args(args);
		assertThat(repr).startsWith("(0, 1, 2, ").endsWith(", ...)");
		assertThat(repr.length()).isBetween(PythonRepr.MAX_LENGTH, PythonRepr.MAX_LENGTH + 10);
	}

	@Test
	void longStringsAreCutAtAWordBoundary() {
		assertThat(PythonRepr.truncate("hello brave new world", 12)).isEqualTo("hello brave...");
		assertThat(PythonRepr.truncate("short", 12)).isEqualTo("short");
	}

}
