package dev.taskqueue.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PythonErrors}: Python's {@code repr} of exceptions and strings.
 */
class PythonErrorsTests {

	@Test
	void reprOfExceptions() {
		assertThat(PythonErrors.repr("KeyError", "nosuchcmd")).isEqualTo("KeyError('nosuchcmd')");
		assertThat(PythonErrors.repr("ValueError", null)).isEqualTo("ValueError()");
	}

	@Test
	void reprOfStringsAsPython() {
		assertThat(PythonErrors.string("it's")).isEqualTo("\"it's\"");
		assertThat(PythonErrors.string("it's \"x\"")).isEqualTo("'it\\'s \"x\"'");
		assertThat(PythonErrors.string("a\\b\n\t\r")).isEqualTo("'a\\\\b\\n\\t\\r'");
		assertThat(PythonErrors.string("\u0001\u007f")).isEqualTo("'\\x01\\x7f'");
		assertThat(PythonErrors.string("caf\u00e9 \u2028")).isEqualTo("'caf\u00e9 \\u2028'");
		assertThat(PythonErrors.string("\u00a0")).isEqualTo("'\\xa0'");
	}

}
