package dev.taskqueue.canvas;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.ResultBackend;

/**
 * Applies signatures as Celery's canvas does, for a client that sends a workflow and for a
 * worker that continues one (the next chain step, callbacks, errbacks, a chord's body):
 * <ul>
 * <li>a task is one message;</li>
 * <li>a chain sends its first step with the other steps, reversed, in the embed's
 * {@code chain};</li>
 * <li>a group sends every member with the group id and its index;</li>
 * <li>a chord sets its size in the result backend, then sends its header members as a group
 * whose members carry the body in the embed's {@code chord}; with an empty header the body
 * is sent at once with {@code []}.</li>
 * </ul>
 * Every task is {@link CanvasFreezer frozen} first, so the ids of all results are known before
 * anything is sent. Thread-safe.
 */
public final class CanvasPublisher {

	private final TaskMessageSender sender;

	private final ResultBackend backend;

	private final SignatureMessages messages;

	private final @Nullable String replyTo;

	private final Clock clock;

	/**
	 * Create a publisher.
	 * @param sender routes, encodes and publishes each message
	 * @param backend the result backend, which joins chords
	 * @param origin the node name put in the {@code origin} header
	 * @param replyTo the {@code reply_to} of messages whose signature names none, or
	 * {@code null}
	 * @param clock the clock countdowns and expiries count from
	 */
	public CanvasPublisher(TaskMessageSender sender, ResultBackend backend, String origin, @Nullable String replyTo,
			Clock clock) {
		this.sender = sender;
		this.backend = backend;
		this.messages = new SignatureMessages(origin, replyTo);
		this.replyTo = replyTo;
		this.clock = clock;
	}

	/**
	 * Apply a signature.
	 * @param signature the signature, frozen or not
	 * @param call the partial arguments and the parent
	 * @return what was sent
	 * @throws CanvasException when the signature is invalid or its chord cannot be joined;
	 * nothing was sent unless a group or chord member failed to go out after others
	 * @throws RuntimeException what the sender throws when a message cannot be sent
	 */
	public AppliedCanvas apply(CanvasSignature signature, CanvasCall call) {
		signature.validate();
		CanvasFreezer.Frozen frozen = CanvasFreezer.freeze(signature, this.replyTo);
		requireChordSupport(frozen.signature());
		return apply(frozen.signature(), call, Placement.NONE, frozen);
	}

	/**
	 * Apply the next step of a chain, as a worker does after a step succeeded.
	 * @param next the next step, the last element of the embed's {@code chain}
	 * @param remaining the steps after it, reversed
	 * @param call the finished step's result and ids
	 * @return what was sent
	 */
	public AppliedCanvas applyNext(CanvasSignature next, List<Map<String, Object>> remaining, CanvasCall call) {
		next.validate();
		CanvasFreezer.Frozen frozen = CanvasFreezer.freeze(next);
		requireChordSupport(frozen.signature());
		return apply(frozen.signature(), call, Placement.continuing(remaining), frozen);
	}

	private AppliedCanvas apply(CanvasSignature signature, CanvasCall call, Placement placement,
			CanvasFreezer.Frozen frozen) {
		if (signature.isChain()) {
			applyChain(signature, call, placement);
			return result(frozen);
		}
		if (signature.isGroup()) {
			List<String> members = applyGroup(signature, call, placement);
			String id = frozen.id();
			return new AppliedCanvas(id, id, members);
		}
		if (signature.isChord()) {
			String groupId = applyChord(signature, call, placement);
			return new AppliedCanvas(frozen.id(), groupId, List.of());
		}
		return AppliedCanvas.task(send(signature, call, placement));
	}

	private static AppliedCanvas result(CanvasFreezer.Frozen frozen) {
		return frozen.members().isEmpty() ? AppliedCanvas.task(frozen.id())
				: new AppliedCanvas(frozen.id(), frozen.id(), frozen.members());
	}

	private void applyChain(CanvasSignature chain, CanvasCall call, Placement placement) {
		List<CanvasSignature> steps = new ArrayList<>(chain.tasks());
		int last = steps.size() - 1;
		if (placement.isMember()) {
			// the chain is a group or chord member: its last step reports to the group
			CanvasSignature step = steps.get(last).withOption("group_id", placement.groupId())
				.withOption("group_index", placement.groupIndex())
				.withOption("chord", placement.chord());
			steps.set(last, step);
		}
		List<Map<String, Object>> rest = new ArrayList<>();
		if (placement.chain() != null) {
			rest.addAll(placement.chain());
		}
		for (int i = last; i >= 1; i--) {
			rest.add(steps.get(i).toMap());
		}
		CanvasSignature first = steps.get(0);
		Placement firstPlacement = Placement.continuing(rest);
		apply(first, call, firstPlacement, new CanvasFreezer.Frozen(first, "", List.of()));
	}

	private List<String> applyGroup(CanvasSignature group, CanvasCall call, Placement placement) {
		String groupId = (placement.groupId() != null) ? placement.groupId() : group.taskId();
		List<CanvasSignature> members = group.tasks();
		List<String> ids = new ArrayList<>(members.size());
		for (int i = 0; i < members.size(); i++) {
			CanvasSignature member = members.get(i);
			ids.add(applyMember(member, call, Placement.member(groupId, i, placement.chord())));
		}
		return ids;
	}

	private String applyChord(CanvasSignature chord, CanvasCall call, Placement placement) {
		CanvasSignature body = chord.body();
		if (placement.chain() != null && !placement.chain().isEmpty()) {
			body = body.withOption("chain", placement.chain());
		}
		if (placement.isMember()) {
			body = body.withOption("group_id", placement.groupId())
				.withOption("group_index", placement.groupIndex())
				.withOption("chord", placement.chord());
		}
		List<CanvasSignature> header = chord.header();
		String groupId = UUID.randomUUID().toString();
		if (header.isEmpty()) {
			CanvasCall empty = new CanvasCall(Collections.singletonList(List.of()), call.parentId(), call.rootId());
			applyMember(body, empty, Placement.NONE);
			return groupId;
		}
		chords().setChordSize(groupId, header.size());
		Map<String, Object> bodyMap = body.toMap();
		for (int i = 0; i < header.size(); i++) {
			applyMember(header.get(i), call, Placement.member(groupId, i, bodyMap));
		}
		return groupId;
	}

	private String applyMember(CanvasSignature member, CanvasCall call, Placement placement) {
		CanvasFreezer.Frozen frozen = new CanvasFreezer.Frozen(member, member.taskId(), List.of());
		return apply(member, call, placement, frozen).id();
	}

	private String send(CanvasSignature task, CanvasCall call, Placement placement) {
		try {
			var message = this.messages.message(task, call, placement, this.clock.instant());
			Object queue = task.options().get("queue");
			this.sender.send(message, (queue instanceof String name && !name.isBlank()) ? name : null);
			return message.id();
		}
		catch (IllegalArgumentException ex) {
			throw new CanvasException("Signature '" + task.task() + "' cannot be sent: " + ex.getMessage());
		}
	}

	private void requireChordSupport(CanvasSignature signature) {
		if (containsChord(signature)) {
			chords();
		}
	}

	private CanvasStore chords() {
		CanvasStore store = this.backend.canvasStore();
		if (store == null) {
			throw new CanvasException("The result backend " + this.backend.url() + " cannot join chords (Celery's "
					+ "rpc:// backend cannot either); use a Redis result backend for chords");
		}
		return store;
	}

	private static boolean containsChord(CanvasSignature signature) {
		if (signature.isChord()) {
			return true;
		}
		if (signature.isChain() || signature.isGroup()) {
			return signature.tasks().stream().anyMatch(CanvasPublisher::containsChord);
		}
		return false;
	}

}
