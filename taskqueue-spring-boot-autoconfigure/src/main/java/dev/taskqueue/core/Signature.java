package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.canvas.CanvasSignature;
import dev.taskqueue.protocol.CeleryTime;

/**
 * A task call to make later, Celery's {@code signature} ({@code add.s(2, 2)}): the task
 * name, partial arguments and {@code apply_async} options, or a chain, group or chord of
 * such. Immutable: every method returns a new signature. Its {@link #toMap() JSON form} is
 * Celery's exactly, so signatures travel between Java and Python both ways.
 *
 * <pre class="code">
 * Signature add = tasks.signature("tasks.add").args(2, 2);
 * AsyncResult&lt;Object&gt; sixteen = tasks.chain(add, tasks.signature("tasks.add").args(4), tasks.signature("tasks.add").args(8));
 * </pre>
 */
public final class Signature {

	private final CanvasSignature wire;

	private Signature(CanvasSignature wire) {
		this.wire = wire;
	}

	/**
	 * A signature of a task with no arguments yet.
	 * @param task the task name
	 * @return the signature
	 */
	public static Signature of(String task) {
		Assert.hasText(task, "'task' must not be empty");
		return new Signature(CanvasSignature.task(task, List.of(), Map.of(), Map.of(), false));
	}

	/**
	 * A signature of a task with positional arguments, Celery's {@code add.s(2, 2)}.
	 * @param task the task name
	 * @param args the partial positional arguments
	 * @return the signature
	 */
	public static Signature of(String task, @Nullable Object... args) {
		return of(task).args(args);
	}

	/**
	 * A chain: each step runs once the one before succeeded, with its result prepended to its
	 * arguments (unless {@link #immutable()}); nested chains are flattened. Celery's
	 * {@code chain(...)}, or {@code a | b}.
	 * @param steps the steps, in execution order
	 * @return the chain
	 */
	public static Signature chain(Signature... steps) {
		return chain(Arrays.asList(steps));
	}

	/**
	 * A chain of steps; see {@link #chain(Signature...)}.
	 * @param steps the steps, in execution order
	 * @return the chain
	 */
	public static Signature chain(List<Signature> steps) {
		Assert.notEmpty(steps, "A chain needs at least one step");
		return new Signature(CanvasSignature.chain(wires(steps), Map.of()));
	}

	/**
	 * A group: its members run in parallel; Celery's {@code group(...)}.
	 * @param members the members, in order
	 * @return the group
	 */
	public static Signature group(Signature... members) {
		return group(Arrays.asList(members));
	}

	/**
	 * A group of members; see {@link #group(Signature...)}.
	 * @param members the members, in order
	 * @return the group
	 */
	public static Signature group(List<Signature> members) {
		return new Signature(CanvasSignature.group(wires(members), Map.of()));
	}

	/**
	 * A chord: the header members run in parallel, and once all succeeded the body runs with
	 * the list of their results, in member order; Celery's {@code chord(header, body)}.
	 * @param header the header members, in order
	 * @param body the body
	 * @return the chord
	 */
	public static Signature chord(List<Signature> header, Signature body) {
		Assert.notNull(body, "'body' must not be null");
		return new Signature(CanvasSignature.chord(wires(header), body.wire, Map.of()));
	}

	/**
	 * Read a signature from Celery's JSON form, such as Python's {@code dict(add.s(2, 2))}.
	 * @param json the JSON object, as plain maps and lists
	 * @return the signature
	 * @throws IllegalArgumentException when the value is not a signature
	 */
	public static Signature fromMap(Map<String, ?> json) {
		try {
			CanvasSignature wire = CanvasSignature.from(json);
			wire.validate();
			return new Signature(wire);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	/**
	 * Return this signature with these positional arguments instead of its own.
	 * @param args the partial positional arguments, JSON-serializable
	 * @return the signature
	 */
	public Signature args(@Nullable Object... args) {
		return args(Arrays.asList(args));
	}

	/**
	 * Return this signature with these positional arguments instead of its own.
	 * @param args the partial positional arguments, JSON-serializable
	 * @return the signature
	 */
	public Signature args(List<?> args) {
		requireTask("args");
		return new Signature(this.wire.withArgs(args));
	}

	/**
	 * Return this signature with these keyword arguments added to its own.
	 * @param kwargs the keyword arguments, JSON-serializable
	 * @return the signature
	 */
	public Signature kwargs(Map<String, ?> kwargs) {
		requireTask("kwargs");
		Map<String, Object> merged = new LinkedHashMap<>(this.wire.kwargs());
		merged.putAll(kwargs);
		return new Signature(this.wire.withKwargs(merged));
	}

	/**
	 * Return this signature with one keyword argument added.
	 * @param name the argument name
	 * @param value the value, JSON-serializable
	 * @return the signature
	 */
	public Signature kwarg(String name, @Nullable Object value) {
		Assert.hasText(name, "'name' must not be empty");
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put(name, value);
		return kwargs(kwargs);
	}

	/**
	 * Return this signature immutable, Celery's {@code si()}: the result of the task before it
	 * is not prepended to its arguments.
	 * @return the signature
	 */
	public Signature immutable() {
		return new Signature(this.wire.withImmutable(true));
	}

	/**
	 * Return this signature with an {@code apply_async} option set, such as {@code queue},
	 * {@code countdown} (seconds), {@code expires}, {@code priority} or {@code headers}; a
	 * {@code null} value removes it. Celery's {@code sig.set(...)}.
	 * @param option the option name, as Celery spells it
	 * @param value the value, a plain JSON value
	 * @return the signature
	 */
	public Signature set(String option, @Nullable Object value) {
		Assert.hasText(option, "'option' must not be empty");
		return new Signature(this.wire.withOption(option, value));
	}

	/**
	 * Return this signature with several options set; see {@link #set(String, Object)}.
	 * @param options the options
	 * @return the signature
	 */
	public Signature set(Map<String, ?> options) {
		Signature result = this;
		for (Map.Entry<String, ?> option : options.entrySet()) {
			result = result.set(option.getKey(), option.getValue());
		}
		return result;
	}

	/**
	 * Return this signature with every option the given options set; options they do not
	 * set stay as they are. {@link TaskOptions#timeout()} is not a message option and is ignored.
	 * @param options the options
	 * @return the signature
	 */
	public Signature options(TaskOptions options) {
		Assert.notNull(options, "'options' must not be null");
		return options.applyTo(this);
	}

	/**
	 * Return this signature sent to a queue instead of the routed one.
	 * @param queue the queue name
	 * @return the signature
	 */
	public Signature queue(String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		return set("queue", queue);
	}

	/**
	 * Return this signature run no sooner than this long after it is sent.
	 * @param countdown how long to wait at least
	 * @return the signature
	 */
	public Signature countdown(Duration countdown) {
		Assert.isTrue(!countdown.isNegative(), () -> "countdown must not be negative, got " + countdown);
		return set("countdown", seconds(countdown));
	}

	/**
	 * Return this signature run no sooner than this instant.
	 * @param eta the earliest time to run
	 * @return the signature
	 */
	public Signature eta(Instant eta) {
		return set("eta", CeleryTime.format(eta));
	}

	/**
	 * Return this signature not run once this long passed after it is sent.
	 * @param expires how long after sending it expires
	 * @return the signature
	 */
	public Signature expires(Duration expires) {
		Assert.isTrue(!expires.isNegative(), () -> "expires must not be negative, got " + expires);
		return set("expires", seconds(expires));
	}

	/**
	 * Return this signature with a message priority, 0 to 255.
	 * @param priority the priority
	 * @return the signature
	 */
	public Signature priority(int priority) {
		Assert.isTrue(priority >= 0 && priority <= 255, () -> "priority must be between 0 and 255, got " + priority);
		return set("priority", priority);
	}

	/**
	 * Return this signature with a task id of its own instead of a new UUID.
	 * @param taskId the task id
	 * @return the signature
	 */
	public Signature taskId(String taskId) {
		Assert.hasText(taskId, "'taskId' must not be empty");
		return set("task_id", taskId);
	}

	/**
	 * Return this signature with a callback, Celery's {@code link}: applied with this task's
	 * result prepended once it succeeds. On a chain, the callback follows the last step.
	 * @param callback the callback
	 * @return the signature
	 */
	public Signature link(Signature callback) {
		return new Signature(this.wire.withLink(callback.wire));
	}

	/**
	 * Return this signature with an errback, Celery's {@code link_error}: sent with the failed
	 * task's id as first argument when this task fails. On a chain, every step gets it.
	 * @param errback the errback
	 * @return the signature
	 */
	public Signature linkError(Signature errback) {
		return new Signature(this.wire.withLinkError(errback.wire));
	}

	/**
	 * Return the task name; {@code celery.chain}, {@code celery.group} or {@code celery.chord} for composites.
	 * @return the task name; {@code celery.chain}, {@code celery.group} or {@code celery.chord} for composites
	 */
	public String task() {
		return this.wire.task();
	}

	/**
	 * Return the partial positional arguments.
	 * @return the partial positional arguments
	 */
	public List<@Nullable Object> args() {
		return this.wire.args();
	}

	/**
	 * Return the partial keyword arguments.
	 * @return the partial keyword arguments
	 */
	public Map<String, @Nullable Object> kwargs() {
		return this.wire.kwargs();
	}

	/**
	 * Return the {@code apply_async} options.
	 * @return the {@code apply_async} options
	 */
	public Map<String, @Nullable Object> options() {
		return this.wire.options();
	}

	/**
	 * Return Celery's {@code subtask_type}: {@code null} for a task, else chain, group or chord.
	 * @return the {@code subtask_type}: {@code null} for a task, else chain, group or chord
	 */
	public @Nullable String subtaskType() {
		return this.wire.subtaskType();
	}

	/**
	 * Return whether results of earlier tasks are not prepended ({@code si}).
	 * @return whether results of earlier tasks are not prepended ({@code si})
	 */
	public boolean isImmutable() {
		return this.wire.immutable();
	}

	/**
	 * The signature in Celery's JSON form: {@code task}, {@code args}, {@code kwargs},
	 * {@code options}, {@code subtask_type}, {@code immutable}.
	 * @return a new map, as plain maps and lists
	 */
	public Map<String, Object> toMap() {
		return this.wire.toMap();
	}

	CanvasSignature wire() {
		return this.wire;
	}

	private void requireTask(String what) {
		if (!this.wire.isTask()) {
			throw new IllegalStateException("Set " + what + " on the tasks of a " + this.wire.subtaskType()
					+ ", not on the " + this.wire.subtaskType() + " itself");
		}
	}

	private static double seconds(Duration duration) {
		// not toNanos(), which overflows past 292 years
		return duration.getSeconds() + duration.getNano() / 1e9;
	}

	private static List<CanvasSignature> wires(List<Signature> signatures) {
		List<CanvasSignature> wires = new ArrayList<>(signatures.size());
		for (Signature signature : signatures) {
			Assert.notNull(signature, "Signatures must not be null");
			wires.add(signature.wire);
		}
		return wires;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof Signature that) && this.wire.equals(that.wire);
	}

	@Override
	public int hashCode() {
		return Objects.hashCode(this.wire);
	}

	@Override
	public String toString() {
		// no arguments: they may hold what must not reach logs
		return "Signature[" + this.wire.task() + "]";
	}

}
