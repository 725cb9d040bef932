package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Celery's signature object on the wire: {@code {"task", "args", "kwargs", "options",
 * "subtask_type", "immutable"}}. Composite signatures keep their parts in {@code kwargs}:
 * {@code tasks} for {@code celery.chain} and {@code celery.group}, {@code header} and
 * {@code body} for {@code celery.chord}. Values are plain JSON values; the collections are
 * unmodifiable copies, nested ones included.
 *
 * @param task the task name ({@code celery.chain}, {@code celery.group}, {@code celery.chord}
 * for composites)
 * @param args the partial positional arguments
 * @param kwargs the partial keyword arguments
 * @param options the {@code apply_async} options ({@code task_id}, {@code queue},
 * {@code link}, ...)
 * @param subtaskType {@code null} for a plain task, else {@code chain}, {@code group} or
 * {@code chord}
 * @param immutable whether results of earlier tasks are not prepended ({@code si})
 */
public record CanvasSignature(String task, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs,
		Map<String, @Nullable Object> options, @Nullable String subtaskType, boolean immutable) {

	/** {@code subtask_type} of a chain. */
	public static final String CHAIN = "chain";

	/** {@code subtask_type} of a group. */
	public static final String GROUP = "group";

	/** {@code subtask_type} of a chord. */
	public static final String CHORD = "chord";

	public CanvasSignature {
		args = FrozenJson.list(args);
		kwargs = FrozenJson.map(kwargs);
		options = FrozenJson.map(options);
	}

	/**
	 * A plain task signature.
	 * @param task the task name
	 * @param args the partial positional arguments
	 * @param kwargs the partial keyword arguments
	 * @param options the options
	 * @param immutable whether results are not prepended
	 * @return the signature
	 */
	public static CanvasSignature task(String task, List<?> args, Map<String, ?> kwargs, Map<String, ?> options,
			boolean immutable) {
		return new CanvasSignature(task, new ArrayList<>(args), new LinkedHashMap<>(kwargs),
				new LinkedHashMap<>(options), null, immutable);
	}

	/**
	 * Read a signature in Celery's JSON form, as found in a message's embed or a request body.
	 * @param value the JSON object
	 * @return the signature
	 * @throws CanvasException when the value is not a signature
	 */
	public static CanvasSignature from(@Nullable Object value) {
		return SignatureReader.read(value);
	}

	/**
	 * The signature in Celery's JSON form, with Celery's key order.
	 * @return a new mutable map
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("task", this.task);
		map.put("args", this.args);
		map.put("kwargs", this.kwargs);
		map.put("options", this.options);
		map.put("subtask_type", this.subtaskType);
		map.put("immutable", this.immutable);
		return map;
	}

	public boolean isChain() {
		return CHAIN.equals(this.subtaskType);
	}

	public boolean isGroup() {
		return GROUP.equals(this.subtaskType);
	}

	public boolean isChord() {
		return CHORD.equals(this.subtaskType);
	}

	/** Whether this is a plain task, not a composite. */
	public boolean isTask() {
		return this.subtaskType == null;
	}

	/**
	 * Whether the result of this signature is a group's: a group, or a chain whose last step
	 * is a group (not followed by a task, which would make it a chord).
	 * @return whether applying it ends in a group
	 */
	public boolean endsInGroup() {
		if (isGroup()) {
			return true;
		}
		if (isChain()) {
			List<CanvasSignature> steps = tasks();
			return !steps.isEmpty() && steps.get(steps.size() - 1).endsInGroup();
		}
		return false;
	}

	/**
	 * The task id assigned to this signature ({@code options.task_id}), or {@code null}.
	 * @return the task id, or {@code null}
	 */
	public @Nullable String taskId() {
		return (this.options.get("task_id") instanceof String id) ? id : null;
	}

	/**
	 * The parts of a chain or group ({@code kwargs.tasks}).
	 * @return the parts, in order
	 */
	public List<CanvasSignature> tasks() {
		return SignatureReader.signatures(this.kwargs.get("tasks"), this.task + " tasks",
				(this.subtaskType != null) ? this.subtaskType : this.task);
	}

	/**
	 * The header of a chord ({@code kwargs.header}): a list of signatures, or a group.
	 * @return the header members, in order
	 */
	public List<CanvasSignature> header() {
		Object header = this.kwargs.get("header");
		if (header instanceof Map<?, ?>) {
			CanvasSignature group = from(header);
			return group.isGroup() ? group.tasks() : List.of(group);
		}
		return SignatureReader.list(header, "chord header");
	}

	/**
	 * The body of a chord ({@code kwargs.body}).
	 * @return the body
	 */
	public CanvasSignature body() {
		return from(this.kwargs.get("body"));
	}

	/**
	 * The signatures of an option holding one signature or a list of them, such as
	 * {@code link} or {@code link_error}.
	 * @param option the option name
	 * @return the signatures, empty when the option is absent
	 */
	public List<CanvasSignature> signatures(String option) {
		Object value = this.options.get(option);
		if (value == null) {
			return List.of();
		}
		return (value instanceof Map<?, ?>) ? List.of(from(value)) : SignatureReader.list(value, option);
	}

	/**
	 * Return this signature with one option set (or removed, when the value is {@code null}).
	 * @param name the option name
	 * @param value the value, a plain JSON value
	 * @return the signature
	 */
	public CanvasSignature withOption(String name, @Nullable Object value) {
		Map<String, Object> options = new LinkedHashMap<>(this.options);
		if (value == null) {
			options.remove(name);
		}
		else {
			options.put(name, value);
		}
		return new CanvasSignature(this.task, this.args, this.kwargs, options, this.subtaskType, this.immutable);
	}

	/**
	 * Return this signature with other keyword arguments.
	 * @param kwargs the keyword arguments
	 * @return the signature
	 */
	public CanvasSignature withKwargs(Map<String, ?> kwargs) {
		return new CanvasSignature(this.task, this.args, new LinkedHashMap<>(kwargs), this.options, this.subtaskType,
				this.immutable);
	}

	/**
	 * Return this signature with other positional arguments.
	 * @param args the positional arguments
	 * @return the signature
	 */
	public CanvasSignature withArgs(List<?> args) {
		return new CanvasSignature(this.task, new ArrayList<>(args), this.kwargs, this.options, this.subtaskType,
				this.immutable);
	}

	/**
	 * Return this composite with other parts.
	 * @param key {@code tasks} or {@code header}
	 * @param parts the parts
	 * @return the signature
	 */
	CanvasSignature withParts(String key, List<CanvasSignature> parts) {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>(this.kwargs);
		kwargs.put(key, parts.stream().map(CanvasSignature::toMap).toList());
		return withKwargs(kwargs);
	}

	/**
	 * Return this signature, immutable or not.
	 * @param immutable whether results are not prepended
	 * @return the signature
	 */
	public CanvasSignature withImmutable(boolean immutable) {
		return new CanvasSignature(this.task, this.args, this.kwargs, this.options, this.subtaskType, immutable);
	}

	/**
	 * Return this signature with a callback (Celery's {@code link}); see {@link CanvasLinks}.
	 * @param callback the callback
	 * @return the signature
	 */
	public CanvasSignature withLink(CanvasSignature callback) {
		return CanvasLinks.link(this, CanvasLinks.LINK, callback);
	}

	/**
	 * Return this signature with an errback (Celery's {@code link_error}); see
	 * {@link CanvasLinks}.
	 * @param errback the errback
	 * @return the signature
	 */
	public CanvasSignature withLinkError(CanvasSignature errback) {
		return CanvasLinks.link(this, CanvasLinks.LINK_ERROR, errback);
	}

	/**
	 * Check the whole signature, its parts, callbacks and errbacks, as a worker would read
	 * them, and that composites nest at most {@link CanvasLimits#MAX_DEPTH} deep.
	 * @throws CanvasException when a part is not a signature or nests too deep
	 */
	public void validate() {
		CanvasLimits.validate(this);
	}

	/**
	 * A chain: its steps run one after the other, each given the result of the one before.
	 * @param steps the steps, in execution order
	 * @param options the options of the chain
	 * @return the signature
	 */
	public static CanvasSignature chain(List<CanvasSignature> steps, Map<String, ?> options) {
		return composite("celery.chain", CHAIN, Map.of("tasks", maps(steps)), options);
	}

	/**
	 * A group: its members run in parallel.
	 * @param members the members, in order
	 * @param options the options of the group
	 * @return the signature
	 */
	public static CanvasSignature group(List<CanvasSignature> members, Map<String, ?> options) {
		return composite("celery.group", GROUP, Map.of("tasks", maps(members)), options);
	}

	/**
	 * A chord: a group whose results, in member order, go to the body once all are done.
	 * @param header the header members, in order
	 * @param body the body
	 * @param options the options of the chord
	 * @return the signature
	 */
	public static CanvasSignature chord(List<CanvasSignature> header, CanvasSignature body, Map<String, ?> options) {
		// Celery's order
		Map<String, Object> kwargs = new LinkedHashMap<>();
		kwargs.put("kwargs", Map.of());
		kwargs.put("header", maps(header));
		kwargs.put("body", body.toMap());
		return composite("celery.chord", CHORD, kwargs, options);
	}

	private static CanvasSignature composite(String task, String type, Map<String, ?> kwargs, Map<String, ?> options) {
		return new CanvasSignature(task, List.of(), new LinkedHashMap<>(kwargs), new LinkedHashMap<>(options), type,
				false);
	}

	private static List<Map<String, Object>> maps(List<CanvasSignature> signatures) {
		return signatures.stream().map(CanvasSignature::toMap).toList();
	}

}
