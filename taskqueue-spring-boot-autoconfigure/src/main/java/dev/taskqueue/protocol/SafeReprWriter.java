package dev.taskqueue.protocol;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Celery's {@code _saferepr} token loop, for {@link PythonRepr}: tokens are written until
 * the length is used up; the token due then is replaced by {@code , ...}, and only the
 * closing brackets of the containers still open follow. Containers nested three levels
 * deep are shown as {@code [...]}.
 */
final class SafeReprWriter {

	private static final int MAX_LEVELS = 3;

	private final StringBuilder out = new StringBuilder();

	private int remaining;

	private int level;

	private boolean exhausted;

	SafeReprWriter(int maxLength) {
		this.remaining = maxLength;
	}

	private Next next() {
		if (this.exhausted) {
			return Next.EXHAUSTED;
		}
		if (this.remaining <= 0) {
			this.out.append(", ...");
			this.exhausted = true;
			return Next.DROPPED;
		}
		return Next.WRITE;
	}

	private void write(String token) {
		this.out.append(token);
		this.remaining -= PythonRepr.length(token);
	}

	private void text(String token) {
		if (next() == Next.WRITE) {
			write(PythonRepr.truncate(token, this.remaining));
		}
	}

	void value(@Nullable Object raw) {
		Object value = PythonRepr.plain(raw);
		if (value == null) {
			text("None");
		}
		else if (value instanceof Boolean bool) {
			text(bool ? "True" : "False");
		}
		else if (value instanceof Number number) {
			text(PythonNumbers.repr(number));
		}
		else if (value instanceof String string) {
			if (next() == Next.WRITE) {
				write(quote(string, this.remaining));
			}
		}
		else if (value instanceof PythonRepr.Tuple tuple) {
			sequence("(", (tuple.items().size() == 1) ? ",)" : ")", tuple.items());
		}
		else if (value instanceof List<?> list) {
			sequence("[", "]", list);
		}
		else if (value instanceof Map<?, ?> map) {
			dict(map);
		}
		else {
			text(String.valueOf(value));
		}
	}

	private boolean open(String start, String end) {
		if (this.level >= MAX_LEVELS) {
			text(start + "..." + end);
			return false;
		}
		Next next = next();
		if (next == Next.EXHAUSTED) {
			return false;
		}
		if (next == Next.WRITE) {
			write(start);
		}
		this.level++;
		return true;
	}

	private void close(String end) {
		this.level--;
		Next next = next();
		if (next == Next.WRITE) {
			write(end);
		}
		else if (next == Next.EXHAUSTED) {
			this.out.append(end);
		}
	}

	private void sequence(String start, String end, List<?> items) {
		if (!open(start, end)) {
			return;
		}
		for (int i = 0; i < items.size() && !this.exhausted; i++) {
			if (i > 0 && next() == Next.WRITE) {
				write(", ");
			}
			value(items.get(i));
		}
		close(end);
	}

	private void dict(Map<?, ?> map) {
		if (!open("{", "}")) {
			return;
		}
		boolean first = true;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!first && next() == Next.WRITE) {
				write(", ");
			}
			first = false;
			if (next() == Next.WRITE) {
				write(PythonRepr.saferepr(String.valueOf(entry.getKey()), this.remaining));
			}
			if (next() == Next.WRITE) {
				write(": ");
			}
			value(entry.getValue());
			if (this.exhausted) {
				break;
			}
		}
		close("}");
	}

	private static String quote(String string, int maxLength) {
		return "'" + PythonRepr.truncate(string, maxLength).replace("'", "\\'") + "'";
	}

	@Override
	public String toString() {
		return this.out.toString();
	}

	/** Where the stream of tokens stands when the next token is due. */
	private enum Next {

		/** Write the token. */
		WRITE,

		/** The length is used up: {@code , ...} was written instead of this token. */
		DROPPED,

		/** The length was used up earlier: only closing brackets are still written. */
		EXHAUSTED

	}

}
