package dev.taskqueue.canvas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Celery's {@code link} and {@code link_error} on signatures, composites included: a chain's
 * callback follows its last step and its errback goes on every step; a group's callback goes
 * on its first member, made immutable (Celery's choice), and its errback on every member; a
 * chord's both go on its body.
 */
final class CanvasLinks {

	static final String LINK = "link";

	static final String LINK_ERROR = "link_error";

	private CanvasLinks() {
	}

	static CanvasSignature link(CanvasSignature signature, String option, CanvasSignature callback) {
		if (signature.isChain()) {
			List<CanvasSignature> steps = signature.tasks();
			if (LINK.equals(option)) {
				return signature.withParts("tasks", replaceLast(steps, (last) -> link(last, option, callback)));
			}
			return signature.withParts("tasks", steps.stream().map((step) -> link(step, option, callback)).toList());
		}
		if (signature.isGroup()) {
			List<CanvasSignature> members = signature.tasks();
			if (members.isEmpty()) {
				return signature;
			}
			if (LINK.equals(option)) {
				List<CanvasSignature> linked = new ArrayList<>(members);
				linked.set(0, link(members.get(0), option, callback.withImmutable(true)));
				return signature.withParts("tasks", linked);
			}
			return signature.withParts("tasks", members.stream().map((m) -> link(m, option, callback)).toList());
		}
		if (signature.isChord()) {
			Map<String, @Nullable Object> kwargs = new LinkedHashMap<>(signature.kwargs());
			kwargs.put("body", link(signature.body(), option, callback).toMap());
			return signature.withKwargs(kwargs);
		}
		List<CanvasSignature> existing = signature.signatures(option);
		List<Object> links = new ArrayList<>();
		existing.forEach((link) -> links.add(link.toMap()));
		// Celery's append_to_list_option: a callback already linked is not linked twice
		if (!existing.contains(callback)) {
			links.add(callback.toMap());
		}
		return signature.withOption(option, links);
	}

	private static List<CanvasSignature> replaceLast(List<CanvasSignature> steps,
			UnaryOperator<CanvasSignature> change) {
		List<CanvasSignature> changed = new ArrayList<>(steps);
		if (!changed.isEmpty()) {
			changed.set(changed.size() - 1, change.apply(changed.get(changed.size() - 1)));
		}
		return changed;
	}


}
