package dev.taskqueue.control;

import java.util.regex.Pattern;

/**
 * Python's {@code fnmatch.translate}: a shell pattern as a regular expression. {@code *}
 * matches any text, {@code ?} one character, {@code [seq]} one of the characters,
 * {@code [!seq]} one character not in them; anything else matches itself.
 */
final class Fnmatch {

	private Fnmatch() {
	}

	/**
	 * Translate a shell pattern.
	 * @param pattern the pattern, such as {@code celery@*} or {@code w[12]@host}
	 * @return a regular expression for the whole name
	 */
	static String toRegex(String pattern) {
		StringBuilder regex = new StringBuilder();
		int i = 0;
		int n = pattern.length();
		while (i < n) {
			char c = pattern.charAt(i++);
			if (c == '*') {
				regex.append(".*");
			}
			else if (c == '?') {
				regex.append('.');
			}
			else if (c == '[') {
				int j = i;
				if (j < n && pattern.charAt(j) == '!') {
					j++;
				}
				if (j < n && pattern.charAt(j) == ']') {
					j++;
				}
				while (j < n && pattern.charAt(j) != ']') {
					j++;
				}
				if (j >= n) {
					regex.append("\\[");
				}
				else {
					regex.append(set(pattern.substring(i, j)));
					i = j + 1;
				}
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return regex.toString();
	}

	// The characters of a [...] set, escaped for Java except for '-' ranges
	private static String set(String content) {
		StringBuilder set = new StringBuilder("[");
		int start = 0;
		if (content.startsWith("!")) {
			set.append('^');
			start = 1;
		}
		for (int k = start; k < content.length(); k++) {
			char c = content.charAt(k);
			if (c == '-' && k > start && k < content.length() - 1) {
				set.append('-');
			}
			else if (Character.isLetterOrDigit(c)) {
				set.append(c);
			}
			else {
				set.append('\\').append(c);
			}
		}
		return set.append(']').toString();
	}

}
