package dev.taskqueue.control;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A node's answer to a control command, Celery's {@code {"ok": ...}} or
 * {@code {"error": ...}}, such as {@code {"ok": "pong"}} or
 * {@code {"error": "KeyError('nosuchcmd')"}}.
 *
 * @param ok the text of a success, {@code null} on an error
 * @param error the text of an error, {@code null} on success
 * @param raw the reply as received
 */
public record ControlReply(@Nullable String ok, @Nullable String error, Map<String, @Nullable Object> raw) {

	/**
	 * Whether the command succeeded on the node.
	 * @return whether the reply carries no error
	 */
	public boolean isOk() {
		return this.error == null;
	}

}
