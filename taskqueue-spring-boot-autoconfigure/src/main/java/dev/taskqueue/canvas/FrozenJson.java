package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Unmodifiable deep copies of plain JSON values, so that a signature cannot change through
 * the maps and lists it was built from or hands out ({@code toMap()}, {@code options()}, a
 * composite's parts). Keys become strings; {@code null}s are kept; other values are kept as
 * they are.
 */
final class FrozenJson {

	/** Far deeper than a canvas of {@link CanvasLimits#MAX_DEPTH} levels, well within the stack. */
	static final int MAX_NESTING = 1_000;

	private FrozenJson() {
	}

	static List<@Nullable Object> list(List<?> list) {
		return list(list, 1);
	}

	static Map<String, @Nullable Object> map(Map<?, ?> map) {
		return map(map, 1);
	}

	private static List<@Nullable Object> list(List<?> list, int depth) {
		List<@Nullable Object> copy = new ArrayList<>(list.size());
		for (Object item : list) {
			copy.add(value(item, depth));
		}
		return Collections.unmodifiableList(copy);
	}

	private static Map<String, @Nullable Object> map(Map<?, ?> map, int depth) {
		Map<String, @Nullable Object> copy = new LinkedHashMap<>();
		map.forEach((key, item) -> copy.put(String.valueOf(key), value(item, depth)));
		return Collections.unmodifiableMap(copy);
	}

	private static @Nullable Object value(@Nullable Object value, int depth) {
		if (!(value instanceof List<?>) && !(value instanceof Map<?, ?>)) {
			return value;
		}
		if (depth >= MAX_NESTING) {
			throw new CanvasException("A signature nests lists and objects deeper than " + MAX_NESTING + " levels");
		}
		return (value instanceof List<?> list) ? list(list, depth + 1) : map((Map<?, ?>) value, depth + 1);
	}

}
