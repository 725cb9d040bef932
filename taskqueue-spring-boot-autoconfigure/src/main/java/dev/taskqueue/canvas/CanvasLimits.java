package dev.taskqueue.canvas;

import java.util.List;

/**
 * How deep and how wide a canvas may be. Celery has no explicit limit; it fails with a
 * {@code RecursionError} near Python's 1,000 frames. Ours are checked before anything is
 * sent and say what was too big.
 */
public final class CanvasLimits {

	/** The deepest nesting of composites, callbacks and errbacks in one signature. */
	public static final int MAX_DEPTH = 64;

	/** The most members one group or chord header may have, and the most steps of a chain. */
	public static final int MAX_WIDTH = 100_000;

	private CanvasLimits() {
	}

	static void validate(CanvasSignature signature) {
		validate(signature, 1);
	}

	private static void validate(CanvasSignature signature, int depth) {
		if (depth > MAX_DEPTH) {
			throw new CanvasException("The canvas nests deeper than " + MAX_DEPTH + " levels (at '"
					+ signature.task() + "')");
		}
		if (signature.isChain() || signature.isGroup()) {
			validateAll(signature.tasks(), depth, signature.subtaskType());
		}
		else if (signature.isChord()) {
			validateAll(signature.header(), depth, "chord header");
			validate(signature.body(), depth + 1);
		}
		else if (signature.subtaskType() != null) {
			throw new CanvasException("Signature '" + signature.task() + "' has subtask_type '"
					+ signature.subtaskType() + "', which this worker does not apply (chain, group and chord only)");
		}
		validateAll(signature.signatures(CanvasLinks.LINK), depth, "link");
		validateAll(signature.signatures(CanvasLinks.LINK_ERROR), depth, "link_error");
	}

	private static void validateAll(List<CanvasSignature> parts, int depth, String what) {
		if (parts.size() > MAX_WIDTH) {
			throw new CanvasException("A " + what + " of " + parts.size() + " signatures is more than the "
					+ MAX_WIDTH + " allowed");
		}
		for (CanvasSignature part : parts) {
			validate(part, depth + 1);
		}
	}

}
