package dev.taskqueue.events;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ExceptionInfo;

/**
 * The {@code traceback} of {@code task-failed} and {@code task-retried}: the Java stack trace
 * of what the task threw, cut after {@value #MAX_LENGTH} characters so that one event stays
 * small, or the exception's one line when the worker failed the task itself.
 */
final class Tracebacks {

	static final int MAX_LENGTH = 16_384;

	private static final String CUT = "\n... (truncated)\n";

	private Tracebacks() {
	}

	static String of(ExceptionInfo exception, @Nullable Throwable cause) {
		if (cause == null) {
			return exception.type() + ": " + exception.text() + "\n";
		}
		StringWriter writer = new StringWriter(1024);
		cause.printStackTrace(new PrintWriter(writer));
		String trace = writer.toString();
		return (trace.length() <= MAX_LENGTH) ? trace : trace.substring(0, MAX_LENGTH - CUT.length()) + CUT;
	}

}
