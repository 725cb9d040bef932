package dev.taskqueue.worker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.canvas.CanvasCall;
import dev.taskqueue.canvas.CanvasException;
import dev.taskqueue.canvas.CanvasPublisher;
import dev.taskqueue.canvas.CanvasSignature;
import dev.taskqueue.canvas.TaskMessageSender;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.Embed;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.TaskRouter;

/**
 * What a worker does with the canvas embedded in a task's message once the task ended, as
 * Celery's tracer and backend do:
 * <ul>
 * <li>on success, the callbacks ({@code link}) and the next chain step are applied with the
 * result prepended, this task as parent;</li>
 * <li>on failure, the chain's later steps are stored with the same FAILURE, and the errbacks
 * ({@code link_error}) are sent with this task's id prepended;</li>
 * <li>whatever the end, a chord header member reports its part to the result backend, and the
 * member that completes the chord sends the body with the results in member order, or stores
 * Celery's {@code ChordError} under the body's id when a member failed and sends the body's
 * errbacks.</li>
 * </ul>
 */
final class CanvasSteps {

	private static final Log logger = LogFactory.getLog(CanvasSteps.class);

	private final CanvasPublisher publisher;

	private final ResultBackend backend;

	CanvasSteps(CanvasPublisher publisher, ResultBackend backend) {
		this.publisher = publisher;
		this.backend = backend;
	}

	/**
	 * The canvas steps of a worker: it sends the next steps of workflows straight to the
	 * broker, routed as the application's template routes them.
	 * @param broker the broker
	 * @param codec encodes the messages
	 * @param router routes tasks whose signature names no queue
	 * @param backend the result backend, which joins chords
	 * @param origin the worker's node name
	 * @param clock the clock countdowns count from
	 * @return the canvas steps
	 */
	static CanvasSteps publishingTo(Broker broker, MessageCodec codec, TaskRouter router, ResultBackend backend,
			String origin, Clock clock) {
		TaskMessageSender sender = (message, queue) -> broker
			.publish(new OutboundMessage(codec.encode(message), router.route(message.task(), queue)));
		return new CanvasSteps(new CanvasPublisher(sender, backend, origin, null, clock), backend);
	}

	/**
	 * Apply the callbacks and the next chain step of a task that succeeded.
	 * @param message the task's message
	 * @param result its return value, as stored
	 * @return the result tuples of what was sent, the task meta's {@code children}
	 * @throws RuntimeException when something could not be sent; the task then fails
	 */
	List<Object> succeeded(TaskMessage message, @Nullable Object result) {
		Embed embed = message.embed();
		List<Map<String, Object>> chain = embed.chain();
		boolean hasChain = chain != null && !chain.isEmpty();
		if (embed.callbacks() == null && !hasChain) {
			// most tasks: nothing follows them, and nothing is allocated for it
			return List.of();
		}
		List<Object> children = new ArrayList<>();
		CanvasCall call = CanvasCall.passing(result, message.id(), message.headers().rootId());
		if (embed.callbacks() != null) {
			for (Map<String, Object> callback : embed.callbacks()) {
				children.add(this.publisher.apply(CanvasSignature.from(callback), call).asTuple());
			}
		}
		if (hasChain) {
			CanvasSignature next = CanvasSignature.from(chain.get(chain.size() - 1));
			children.add(this.publisher.applyNext(next, chain.subList(0, chain.size() - 1), call).asTuple());
		}
		return children;
	}

	/**
	 * Store a task's failure under the ids of its chain's later steps, and send its errbacks.
	 * Errors are logged: the task's own state is stored already.
	 * @param message the task's message
	 * @param failure the stored FAILURE meta of the task
	 */
	void failed(TaskMessage message, ResultMeta failure) {
		Embed embed = message.embed();
		if (embed.chain() != null) {
			for (Map<String, Object> step : embed.chain()) {
				quietly(message, "store the failure of a later chain step", () -> failStep(message, step, failure));
			}
		}
		if (embed.errbacks() != null) {
			CanvasCall call = CanvasCall.passing(message.id(), message.id(), message.headers().rootId());
			for (Map<String, Object> errback : embed.errbacks()) {
				quietly(message, "send an errback", () -> this.publisher.apply(CanvasSignature.from(errback), call));
			}
		}
	}

	private void failStep(TaskMessage message, Map<String, Object> step, ResultMeta failure) {
		CanvasSignature signature = CanvasSignature.from(step);
		String id = signature.taskId();
		if (id == null) {
			return;
		}
		this.backend.store(new ResultMeta(id, failure.status(), failure.result(), failure.traceback(), List.of(),
				failure.dateDone(), null, null, null, null));
		Object chord = signature.options().get("chord");
		Object group = signature.options().get("group_id");
		if (chord != null && group instanceof String groupId) {
			Integer index = (signature.options().get("group_index") instanceof Number n) ? n.intValue() : null;
			chordPart(message.headers().rootId(), id, groupId, index, chord,
					new ChordPart(id, failure.status(), failure.result()));
		}
	}

	/**
	 * Report the end of a chord header member, and complete the chord when it is the last.
	 * Errors are logged.
	 * @param message the task's message
	 * @param meta the final state of the task, as stored
	 */
	void ended(TaskMessage message, ResultMeta meta) {
		Map<String, Object> chord = message.embed().chord();
		String group = message.headers().group();
		if (chord == null || group == null) {
			return;
		}
		quietly(message, "report its part of chord " + group, () -> chordPart(message.headers().rootId(),
				message.id(), group, message.headers().groupIndex(), chord,
				new ChordPart(message.id(), meta.status(), meta.result())));
	}

	// Record a member's part, and complete the chord when it is the last. The body is read only
	// then, so that every member records its part whatever the body holds: a body that is not a
	// signature fails the chord instead of keeping it waiting.
	private void chordPart(String rootId, String taskId, String groupId, @Nullable Integer groupIndex,
			Object body, ChordPart part) {
		CanvasStore chords = this.backend.canvasStore();
		if (chords == null) {
			throw new UnsupportedOperationException("Chords need a result backend that every worker can read, such as "
					+ "redis://host:port/db; " + this.backend.url() + " cannot join a chord's header (Celery's rpc "
					+ "backend has no chords either)");
		}
		List<ChordPart> parts = chords.addChordPart(groupId, groupIndex, part);
		if (parts == null) {
			return;
		}
		try {
			CanvasSignature signature;
			try {
				signature = CanvasSignature.from(body);
			}
			catch (CanvasException ex) {
				String bodyId = (body instanceof Map<?, ?> map && map.get("options") instanceof Map<?, ?> options
						&& options.get("task_id") instanceof String id) ? id : null;
				failBody(bodyId, "Invalid chord body: " + ex.getMessage());
				return;
			}
			complete(groupId, signature, parts, taskId, rootId);
		}
		finally {
			chords.deleteChord(groupId);
		}
	}

	/**
	 * Complete a chord (Celery's {@code celery.chord_unlock} for backends that do not join
	 * chords themselves): send the body with the results of its header, or fail it.
	 * @param groupId the id of the chord's header group
	 * @param body the body
	 * @param parts the final states of the header members, in member order
	 * @param taskId the task that completes the chord, the body's parent
	 * @param rootId that task's root id
	 */
	void complete(String groupId, CanvasSignature body, List<ChordPart> parts, String taskId, String rootId) {
		ChordPart failed = parts.stream().filter((p) -> CeleryStates.isException(p.state())).findFirst().orElse(null);
		if (failed != null) {
			chordError(body, rootId, "Dependency " + failed.taskId() + " raised " + repr(failed));
			return;
		}
		List<@Nullable Object> results = new ArrayList<>(parts.size());
		parts.forEach((p) -> results.add(p.result()));
		try {
			this.publisher.apply(body, CanvasCall.passing(results, taskId, rootId));
		}
		catch (RuntimeException ex) {
			logger.error("The body of chord " + groupId + " could not be sent", ex);
			chordError(body, rootId, "Callback error: " + ex);
		}
	}

	private void chordError(CanvasSignature body, String rootId, String reason) {
		String bodyId = body.taskId();
		logger.warn("Chord body " + body.task() + "[" + bodyId + "] fails: " + reason);
		if (bodyId == null) {
			return;
		}
		failBody(bodyId, reason);
		CanvasCall call = CanvasCall.passing(bodyId, bodyId, rootId);
		for (CanvasSignature errback : body.signatures("link_error")) {
			this.publisher.apply(errback, call);
		}
	}

	private void failBody(@Nullable String bodyId, String reason) {
		if (bodyId == null) {
			logger.warn("A chord body without a task id cannot be stored as failed: " + reason);
			return;
		}
		ExceptionInfo error = ExceptionInfo.python("celery.exceptions", "ChordError", reason);
		this.backend.store(ResultMeta.ofException(bodyId, CeleryStates.FAILURE, error, null));
	}

	// the failed part's exception as Python's repr shows it, as Celery's ChordError does
	private static String repr(ChordPart part) {
		ExceptionInfo exception = ResultMeta.of(part.taskId(), part.state(), part.result()).exception();
		return (exception != null) ? exception.repr() : String.valueOf(part.result());
	}

	private static void quietly(TaskMessage message, String action, Runnable step) {
		try {
			step.run();
		}
		catch (RuntimeException ex) {
			logger.error("Task " + message.task() + "[" + message.id() + "] could not " + action, ex);
		}
	}

}
