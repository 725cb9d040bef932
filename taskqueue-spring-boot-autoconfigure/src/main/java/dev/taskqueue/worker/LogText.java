package dev.taskqueue.worker;

/**
 * Text from messages (task names, ids, reasons) made fit for one log line or MDC value:
 * control characters, line breaks included, become {@code ?}, and the length is bounded, so
 * that a message cannot forge log lines or flood the log.
 */
final class LogText {

	/** The longest name or id logged as it is. */
	static final int MAX_LENGTH = 200;

	private LogText() {
	}

	static String clean(String text) {
		return clean(text, MAX_LENGTH);
	}

	static String clean(String text, int maxLength) {
		boolean cut = text.length() > maxLength;
		String bounded = cut ? text.substring(0, maxLength) : text;
		StringBuilder out = null;
		for (int i = 0; i < bounded.length(); i++) {
			if (Character.isISOControl(bounded.charAt(i))) {
				if (out == null) {
					out = new StringBuilder(bounded);
				}
				out.setCharAt(i, '?');
			}
		}
		String clean = (out != null) ? out.toString() : bounded;
		return cut ? clean + "..." : clean;
	}

}
