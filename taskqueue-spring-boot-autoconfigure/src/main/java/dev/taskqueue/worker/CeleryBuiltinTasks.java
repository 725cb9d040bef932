package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.canvas.CanvasException;
import dev.taskqueue.canvas.CanvasSignature;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskContext;
import dev.taskqueue.protocol.ResultMeta;

/**
 * Celery's built-in tasks that a Python producer may send to any worker:
 * {@code celery.accumulate} (which {@code Task.replace} with a group appends) and
 * {@code celery.chord_unlock} (which joins a chord on result backends that do not join chords
 * themselves, by polling the header's results and retrying itself until all are ready).
 */
final class CeleryBuiltinTasks {

	/** Celery's {@code result_chord_retry_interval}: how long chord_unlock waits between polls. */
	private static final double DEFAULT_INTERVAL = 1.0;

	/** The longest poll interval taken from a message: an hour. */
	private static final double MAX_INTERVAL = 3600.0;

	private final ResultBackend backend;

	private volatile @Nullable CanvasSteps canvas;

	CeleryBuiltinTasks(ResultBackend backend) {
		this.backend = backend;
	}

	/**
	 * Register these tasks as built-ins (found, not listed; a task the application declares
	 * under the same name wins), to continue workflows with the given canvas steps.
	 * @param registry the worker's tasks
	 * @param canvas the canvas steps of the worker, as it starts
	 */
	void registerIn(TaskRegistry registry, CanvasSteps canvas) {
		this.canvas = canvas;
		TaskRegistry own = new TaskRegistry();
		new CeleryTaskAnnotationBeanPostProcessor(own).postProcessAfterInitialization(this, "celeryBuiltinTasks");
		own.endpoints().forEach(registry::registerBuiltin);
	}

	/**
	 * Celery's {@code accumulate(*args, index=None)}: the arguments as a list, or the one at
	 * {@code index}.
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments, {@code index} only
	 * @param context the task's context
	 * @return the arguments, or the one at the index
	 */
	@CeleryTask(name = "celery.accumulate")
	@RawArguments
	@Nullable Object accumulate(List<Object> args, Map<String, Object> kwargs, TaskContext context) {
		Object index = kwargs.get("index");
		if (index == null) {
			return args;
		}
		if (!(index instanceof Number number) || number.intValue() >= args.size() || number.intValue() < -args.size()) {
			throw new IllegalArgumentException("index " + index + " is out of range for " + args.size() + " arguments");
		}
		int position = number.intValue();
		return args.get((position < 0) ? args.size() + position : position);
	}

	/**
	 * Celery's {@code chord_unlock(group_id, callback, interval=None, max_retries=None,
	 * result=None)}: once every header result is ready, send the body ({@code callback}) with
	 * their results in order, or fail it with {@code ChordError}; until then retry after
	 * {@code interval} seconds, without limit as Celery does.
	 * @param args {@code [group_id, callback]}
	 * @param kwargs {@code interval}, {@code result} (the header's result tuples)
	 * @param context the task's context
	 */
	@CeleryTask(name = "celery.chord_unlock", ignoreResult = true, maxRetries = -1)
	@RawArguments
	void chordUnlock(List<Object> args, Map<String, Object> kwargs, TaskContext context) {
		CanvasSteps steps = this.canvas;
		if (steps == null) {
			throw new IllegalStateException("The worker is not started");
		}
		if (args.size() < 2 || !(args.get(0) instanceof String groupId)) {
			throw new CanvasException("celery.chord_unlock takes (group_id, callback), got " + args.size()
					+ " arguments");
		}
		CanvasSignature body = CanvasSignature.from(args.get(1));
		// from the message: a negative, infinite or NaN interval would fail or spin the retries
		double asked = (kwargs.get("interval") instanceof Number n) ? n.doubleValue() : DEFAULT_INTERVAL;
		double interval = (Double.isFinite(asked) && asked > 0 && asked <= MAX_INTERVAL) ? asked : DEFAULT_INTERVAL;
		List<ChordPart> parts = new ArrayList<>();
		for (String id : memberIds(kwargs.get("result"))) {
			ResultMeta meta = this.backend.get(id);
			if (!meta.isReady()) {
				throw context.retry().countdown(Duration.ofMillis((long) (interval * 1000)));
			}
			parts.add(new ChordPart(id, meta.status(), meta.result()));
		}
		steps.complete(groupId, body, parts, context.id(), context.rootId());
	}

	// the task ids of result tuples, nested groups flattened in order
	private static List<String> memberIds(@Nullable Object tuples) {
		List<String> ids = new ArrayList<>();
		if (!(tuples instanceof List<?> list)) {
			throw new CanvasException("celery.chord_unlock needs the header's result tuples in 'result'");
		}
		for (Object tuple : list) {
			if (tuple instanceof List<?> pair && pair.size() == 2 && pair.get(1) instanceof List<?> members) {
				ids.addAll(memberIds(members));
			}
			else if (tuple instanceof List<?> pair && !pair.isEmpty() && pair.get(0) instanceof List<?> head
					&& !head.isEmpty() && head.get(0) instanceof String id) {
				ids.add(id);
			}
			else if (tuple instanceof String id) {
				ids.add(id);
			}
			else {
				throw new CanvasException("celery.chord_unlock got a result tuple it cannot read: " + tuple);
			}
		}
		return ids;
	}

}
