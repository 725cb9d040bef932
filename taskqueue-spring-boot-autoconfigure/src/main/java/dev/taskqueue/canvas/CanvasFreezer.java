package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Celery's {@code freeze}: gives every task of a canvas its id before anything is sent, so
 * that the result of a chain (its last step) or a chord (its body) is known at once and stays
 * the same whichever worker, Java or Python, sends that task later. On the way it shapes the
 * canvas as Celery's {@code prepare_steps} does: nested chains are flattened into one, nested
 * groups into their enclosing group or chord header, and a group followed by another step of
 * a chain becomes a chord whose body is that step.
 */
final class CanvasFreezer {

	/** Options of a group that place the group itself, which its members do not inherit. */
	private static final Set<String> GROUP_OWN_OPTIONS = Set.of("task_id", "group_id", "group_index", "chord",
			"chain", "link", "link_error", "root_id", "parent_id");

	private CanvasFreezer() {
	}

	/**
	 * Freeze a signature.
	 * @param signature the signature
	 * @return the signature with ids, and the id of its result
	 */
	static Frozen freeze(CanvasSignature signature) {
		return freeze(signature, null);
	}

	/**
	 * Freeze a signature as a client does: every task that names no {@code reply_to} gets the
	 * client's, as Celery's {@code freeze} gives it {@code app.thread_oid}, so that on
	 * {@code rpc://} the results of tasks that workers send later (chain steps, chord bodies)
	 * still reach the client.
	 * @param signature the signature
	 * @param replyTo the client's reply queue, or {@code null} for none
	 * @return the signature with ids, and the id of its result
	 */
	static Frozen freeze(CanvasSignature signature, @Nullable String replyTo) {
		if (signature.isChain()) {
			return freezeChain(signature, replyTo);
		}
		if (signature.isGroup()) {
			return freezeGroup(signature, replyTo);
		}
		if (signature.isChord()) {
			return freezeChord(signature, replyTo);
		}
		String id = idOf(signature);
		CanvasSignature frozen = signature.withOption("task_id", id);
		if (replyTo != null && signature.options().get("reply_to") == null) {
			frozen = frozen.withOption("reply_to", replyTo);
		}
		return new Frozen(frozen, id, List.of());
	}

	private static Frozen freezeChain(CanvasSignature chain, @Nullable String replyTo) {
		List<CanvasSignature> steps = upgradeGroups(flattenChains(chain.tasks()));
		if (steps.isEmpty()) {
			throw new CanvasException("A chain needs at least one step");
		}
		List<CanvasSignature> frozen = new ArrayList<>(steps.size());
		Frozen last = null;
		for (CanvasSignature step : steps) {
			last = freeze(step, replyTo);
			frozen.add(last.signature());
		}
		CanvasSignature result = chain.withParts("tasks", frozen).withOption("task_id", last.id());
		return new Frozen(result, last.id(), last.members());
	}

	private static Frozen freezeGroup(CanvasSignature group, @Nullable String replyTo) {
		String id = idOf(group);
		List<CanvasSignature> frozen = new ArrayList<>();
		List<String> members = new ArrayList<>();
		for (CanvasSignature member : flattenGroups(inheriting(group.tasks(), group.options()))) {
			Frozen part = freeze(member, replyTo);
			frozen.add(part.signature());
			members.add(part.id());
		}
		return new Frozen(group.withParts("tasks", frozen).withOption("task_id", id), id, members);
	}

	private static Frozen freezeChord(CanvasSignature chord, @Nullable String replyTo) {
		CanvasSignature body = chord.body();
		String wanted = chord.taskId();
		if (wanted != null && body.isTask()) {
			body = body.withOption("task_id", wanted);
		}
		Frozen frozenBody = freeze(body, replyTo);
		List<CanvasSignature> header = new ArrayList<>();
		for (CanvasSignature member : flattenGroups(chord.header())) {
			header.add(freeze(member, replyTo).signature());
		}
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>(chord.kwargs());
		kwargs.put("header", header.stream().map(CanvasSignature::toMap).toList());
		kwargs.put("body", frozenBody.signature().toMap());
		CanvasSignature result = chord.withKwargs(kwargs).withOption("task_id", frozenBody.id());
		return new Frozen(result, frozenBody.id(), frozenBody.members());
	}

	// Celery's upgrade of a group that is followed by another step into a chord with that
	// step as body; the chord then takes the group's place.
	private static List<CanvasSignature> upgradeGroups(List<CanvasSignature> steps) {
		List<CanvasSignature> upgraded = new ArrayList<>(steps.size());
		for (int i = 0; i < steps.size(); i++) {
			CanvasSignature step = steps.get(i);
			if (step.isGroup() && i + 1 < steps.size()) {
				upgraded.add(CanvasSignature.chord(step.tasks(), steps.get(i + 1), step.options()));
				i++;
			}
			else {
				upgraded.add(step);
			}
		}
		return upgraded;
	}

	private static List<CanvasSignature> flattenChains(List<CanvasSignature> steps) {
		List<CanvasSignature> flat = new ArrayList<>(steps.size());
		for (CanvasSignature step : steps) {
			if (step.isChain()) {
				flat.addAll(flattenChains(step.tasks()));
			}
			else {
				flat.add(step);
			}
		}
		return flat;
	}

	static List<CanvasSignature> flattenGroups(List<CanvasSignature> members) {
		List<CanvasSignature> flat = new ArrayList<>(members.size());
		for (CanvasSignature member : members) {
			if (member.isGroup()) {
				flat.addAll(flattenGroups(inheriting(member.tasks(), member.options())));
			}
			else {
				flat.add(member);
			}
		}
		return flat;
	}

	/**
	 * The members of a group with the group's options, as Celery's {@code group.apply_async}
	 * passes its options to each member's: the group's win, except those that place the group
	 * itself ({@code task_id}, {@code group_id}, ...).
	 * @param members the members
	 * @param options the group's options
	 * @return the members with the options
	 */
	private static List<CanvasSignature> inheriting(List<CanvasSignature> members, Map<String, @Nullable Object> options) {
		Map<String, @Nullable Object> inherited = new LinkedHashMap<>(options);
		inherited.keySet().removeAll(GROUP_OWN_OPTIONS);
		if (inherited.isEmpty()) {
			return members;
		}
		List<CanvasSignature> result = new ArrayList<>(members.size());
		for (CanvasSignature member : members) {
			CanvasSignature withOptions = member;
			if (member.isTask()) {
				for (Map.Entry<String, @Nullable Object> option : inherited.entrySet()) {
					withOptions = withOptions.withOption(option.getKey(), option.getValue());
				}
			}
			result.add(withOptions);
		}
		return result;
	}

	private static String idOf(CanvasSignature signature) {
		String id = signature.taskId();
		return (id != null && !id.isBlank()) ? id : UUID.randomUUID().toString();
	}


	/**
	 * A frozen signature.
	 *
	 * @param signature the signature, every task with its {@code task_id}
	 * @param id the id of its result: the task, the chain's last step, the chord's body, or
	 * the group
	 * @param members for a group, or a chain or chord ending in one, the members' result ids
	 */
	record Frozen(CanvasSignature signature, String id, List<String> members) {
	}

}
