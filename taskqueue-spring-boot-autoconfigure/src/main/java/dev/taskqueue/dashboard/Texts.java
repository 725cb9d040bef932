package dev.taskqueue.dashboard;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the pages show values they do not control, such as task arguments and results: as JSON
 * or the repr the events carry, cut at {@value #MAX_CHARS} characters so that a huge result
 * never reaches a page whole.
 */
final class Texts {

	static final int MAX_CHARS = 2_000;

	/** The length of a value in a list's row, where it is only glanced at. */
	static final int ROW_CHARS = 200;

	private static final JsonMapper json = JsonMapper.builder().build();

	private Texts() {
	}

	static @Nullable String truncate(@Nullable String text) {
		return truncate(text, MAX_CHARS);
	}

	static @Nullable String truncate(@Nullable String text, int max) {
		if (text == null || text.length() <= max) {
			return text;
		}
		return text.substring(0, max) + "… (" + text.length() + " characters)";
	}

	// a JSON value as JSON text, truncated; its toString() when it is not one
	static @Nullable String json(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		try {
			return truncate(json.writeValueAsString(value));
		}
		catch (JacksonException ex) {
			return truncate(String.valueOf(value));
		}
	}

}
