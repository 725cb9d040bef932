package dev.taskqueue.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded Celery task message: headers, properties and the {@code [args, kwargs, embed]}
 * body. Argument values are plain JSON values ({@code null}, {@link Boolean}, {@link Number},
 * {@link String}, {@link List}, {@link Map}).
 *
 * @param headers the task headers
 * @param properties the message properties
 * @param args positional arguments
 * @param kwargs keyword arguments, in order
 * @param embed callbacks, errbacks, chain and chord
 */
public record TaskMessage(TaskHeaders headers, MessageProperties properties, List<Object> args,
		Map<String, Object> kwargs, Embed embed) {

	public String id() {
		return this.headers.id();
	}

	public String task() {
		return this.headers.task();
	}

	/**
	 * The printable form of the positional arguments, as Celery's {@code inspect active} shows
	 * it: the sender's {@code argsrepr} header (which it may have set to hide secrets), or
	 * Celery's repr of the arguments (at most about 1024 characters) when there is none. Celery
	 * never sends a longer header than about 1024 characters; a longer one is cut after 2048.
	 * @return the repr
	 */
	public String argsrepr() {
		String sent = this.headers.argsrepr();
		return (sent != null) ? PythonRepr.truncate(sent, 2 * PythonRepr.MAX_LENGTH) : PythonRepr.args(this.args);
	}

	/**
	 * The printable form of the keyword arguments, as {@link #argsrepr()}.
	 * @return the repr
	 */
	public String kwargsrepr() {
		String sent = this.headers.kwargsrepr();
		return (sent != null) ? PythonRepr.truncate(sent, 2 * PythonRepr.MAX_LENGTH) : PythonRepr.kwargs(this.kwargs);
	}

	/**
	 * This message with more custom headers, such as the {@code traceparent} of a trace; a
	 * header of the same name is replaced.
	 * @param added the headers to add, in order
	 * @return the message
	 */
	public TaskMessage withExtraHeaders(Map<String, Object> added) {
		if (added.isEmpty()) {
			return this;
		}
		TaskHeaders h = this.headers;
		Map<String, Object> extra = new LinkedHashMap<>(h.extra());
		extra.putAll(added);
		TaskHeaders headers = new TaskHeaders(h.lang(), h.task(), h.id(), h.shadow(), h.eta(), h.expires(), h.group(),
				h.groupIndex(), h.retries(), h.timeLimit(), h.rootId(), h.parentId(), h.argsrepr(), h.kwargsrepr(),
				h.origin(), h.ignoreResult(), h.replacedTaskNesting(), h.stampedHeaders(), h.stamps(),
				Collections.unmodifiableMap(extra));
		return new TaskMessage(headers, this.properties, this.args, this.kwargs, this.embed);
	}

	/**
	 * The message that retries this task, as Celery's {@code Task.retry} sends it: the same id,
	 * arguments, canvas, properties and headers, with the retry count raised by one, the new ETA,
	 * this task as parent, the retrying worker as origin, and the expiration property counted
	 * from now.
	 * @param eta when the retry runs
	 * @param origin the node name of the retrying worker
	 * @param now the current time
	 * @return the retry message
	 */
	public TaskMessage retry(Instant eta, String origin, Instant now) {
		TaskHeaders h = this.headers;
		TaskHeaders retry = new TaskHeaders(h.lang(), h.task(), h.id(), h.shadow(), eta, h.expires(), h.group(),
				h.groupIndex(), h.retries() + 1, h.timeLimit(), h.rootId(), h.id(), h.argsrepr(), h.kwargsrepr(), origin,
				h.ignoreResult(), h.replacedTaskNesting(), h.stampedHeaders(), h.stamps(), h.extra());
		MessageProperties p = this.properties;
		String expiration = (h.expires() != null)
				? Long.toString(Math.max(0, Duration.between(now, h.expires()).toMillis())) : null;
		MessageProperties properties = new MessageProperties(p.correlationId(), p.replyTo(), p.deliveryMode(),
				p.priority(), expiration);
		return new TaskMessage(retry, properties, this.args, this.kwargs, this.embed);
	}

}
