package dev.taskqueue.control;

import org.jspecify.annotations.Nullable;

/**
 * The {@code error} of a failed command's reply, as Celery writes it: the Python
 * {@code repr} of the exception, such as {@code KeyError('nosuchcmd')}.
 */
final class PythonErrors {

	private PythonErrors() {
	}

	/**
	 * The repr of a Python exception of one argument.
	 * @param type the exception type, such as {@code KeyError}
	 * @param message the argument, {@code null} for none
	 * @return such as {@code KeyError('nosuchcmd')} or {@code ValueError()}
	 */
	static String repr(String type, @Nullable String message) {
		return type + "(" + ((message != null) ? string(message) : "") + ")";
	}

	/**
	 * Python's {@code repr} of a string: in single quotes, or in double quotes when it holds a
	 * single quote and no double quote; backslashes, the quote, control and other unprintable
	 * characters escaped.
	 * @param text the string
	 * @return the repr
	 */
	static String string(String text) {
		char quote = (text.indexOf('\'') >= 0 && text.indexOf('"') < 0) ? '"' : '\'';
		StringBuilder repr = new StringBuilder(text.length() + 2).append(quote);
		text.codePoints().forEach((cp) -> {
			if (cp == quote || cp == '\\') {
				repr.append('\\').appendCodePoint(cp);
			}
			else if (cp == '\t') {
				repr.append("\\t");
			}
			else if (cp == '\n') {
				repr.append("\\n");
			}
			else if (cp == '\r') {
				repr.append("\\r");
			}
			else if (cp == ' ' || (cp > ' ' && cp < 0x7f) || (cp > 0x7f && printable(cp))) {
				repr.appendCodePoint(cp);
			}
			else if (cp <= 0xff) {
				repr.append(String.format("\\x%02x", cp));
			}
			else if (cp <= 0xffff) {
				repr.append(String.format("\\u%04x", cp));
			}
			else {
				repr.append(String.format("\\U%08x", cp));
			}
		});
		return repr.append(quote).toString();
	}

	// Python's str.isprintable: not a control, format, surrogate, private, unassigned or separator
	private static boolean printable(int cp) {
		return switch (Character.getType(cp)) {
			case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
					Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
					Character.PARAGRAPH_SEPARATOR ->
				false;
			default -> true;
		};
	}

}
