package dev.taskqueue.canvas;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.protocol.Embed;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.protocol.TimeLimit;

/**
 * Turns a frozen task signature into its task message, as Celery's
 * {@code Signature.apply_async} does: partial arguments prepended unless immutable, the
 * signature's options ({@code countdown}, {@code eta}, {@code expires}, {@code priority},
 * {@code time_limit}, {@code soft_time_limit}, {@code headers}, {@code shadow},
 * {@code ignore_result}, {@code reply_to}, {@code group_id}, {@code group_index},
 * {@code chord}, {@code chain}) as headers, and {@code link}/{@code link_error} as the embed's
 * callbacks and errbacks.
 */
final class SignatureMessages {

	private final String origin;

	private final @Nullable String replyTo;

	SignatureMessages(String origin, @Nullable String replyTo) {
		this.origin = origin;
		this.replyTo = replyTo;
	}

	TaskMessage message(CanvasSignature signature, CanvasCall call, Placement placement, Instant now) {
		Map<String, @Nullable Object> options = signature.options();
		String id = (placement.taskId() != null) ? placement.taskId() : signature.taskId();
		TaskMessageBuilder builder = TaskMessageBuilder.task(signature.task()).args(args(signature, call.partialArgs()))
			.kwargs(signature.kwargs())
			.embed(embed(signature, placement))
			.eta(eta(options, now))
			.expires(time(options, "expires", now))
			.priority(integer(options, "priority", 0))
			.timeLimit(timeLimit(options))
			.shadow(text(options, "shadow"))
			.ignoreResult(Boolean.TRUE.equals(options.get("ignore_result")))
			.replyTo((text(options, "reply_to") != null) ? text(options, "reply_to") : this.replyTo)
			.origin(this.origin);
		if (id != null) {
			builder.id(id);
		}
		String parent = (call.parentId() != null) ? call.parentId() : text(options, "parent_id");
		String root = (call.rootId() != null) ? call.rootId() : text(options, "root_id");
		if (parent != null) {
			builder.parent((root != null) ? root : parent, parent);
		}
		String group = (placement.groupId() != null) ? placement.groupId() : text(options, "group_id");
		Integer index = (placement.groupIndex() != null) ? placement.groupIndex() : integerOrNull(options, "group_index");
		builder.group(group, (group != null) ? index : null);
		if (options.get("headers") instanceof Map<?, ?> headers) {
			headers.forEach((name, value) -> builder.header(String.valueOf(name), value));
		}
		else if (options.get("headers") != null) {
			throw invalid(signature, "headers", "an object");
		}
		return builder.build();
	}

	private static List<@Nullable Object> args(CanvasSignature signature, List<@Nullable Object> partial) {
		if (signature.immutable() || partial.isEmpty()) {
			return signature.args();
		}
		List<@Nullable Object> args = new ArrayList<>(partial);
		args.addAll(signature.args());
		return args;
	}

	private static Embed embed(CanvasSignature signature, Placement placement) {
		List<Map<String, Object>> chain = placement.chain();
		if (chain == null && signature.options().get("chain") != null) {
			chain = maps(SignatureReader.list(signature.options().get("chain"), signature.task() + " chain"));
		}
		Map<String, Object> chord = placement.chord();
		if (chord == null && signature.options().get("chord") != null) {
			chord = CanvasSignature.from(signature.options().get("chord")).toMap();
		}
		return new Embed(nullIfEmpty(maps(signature.signatures(CanvasLinks.LINK))),
				nullIfEmpty(maps(signature.signatures(CanvasLinks.LINK_ERROR))), chain, chord);
	}

	private static List<Map<String, Object>> maps(List<CanvasSignature> signatures) {
		return signatures.stream().map(CanvasSignature::toMap).toList();
	}

	private static @Nullable List<Map<String, Object>> nullIfEmpty(List<Map<String, Object>> list) {
		return list.isEmpty() ? null : list;
	}

	private static @Nullable Instant eta(Map<String, @Nullable Object> options, Instant now) {
		Instant countdown = time(options, "countdown", now);
		return (countdown != null) ? countdown : time(options, "eta", now);
	}

	// a time given as seconds from now (a number) or as an ISO instant (a string)
	private static @Nullable Instant time(Map<String, @Nullable Object> options, String name, Instant now) {
		Object value = options.get(name);
		if (value instanceof Number seconds) {
			return now.plus(Duration.ofNanos(Math.max(0, (long) (seconds.doubleValue() * 1e9))));
		}
		if (value instanceof String text) {
			try {
				return CeleryTime.parse(text);
			}
			catch (RuntimeException ex) {
				throw new CanvasException("Option '" + name + "' is not an ISO 8601 time: " + text);
			}
		}
		if (value != null) {
			throw new CanvasException("Option '" + name + "' must be seconds or an ISO 8601 time, got " + value);
		}
		return null;
	}

	private static TimeLimit timeLimit(Map<String, @Nullable Object> options) {
		Double hard = seconds(options, "time_limit");
		Double soft = seconds(options, "soft_time_limit");
		return (hard == null && soft == null) ? TimeLimit.NONE : new TimeLimit(hard, soft);
	}

	private static @Nullable Double seconds(Map<String, @Nullable Object> options, String name) {
		Object value = options.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Number number && number.doubleValue() > 0) {
			return number.doubleValue();
		}
		throw new CanvasException("Option '" + name + "' must be a positive number of seconds, got " + value);
	}

	private static int integer(Map<String, @Nullable Object> options, String name, int otherwise) {
		Integer value = integerOrNull(options, name);
		return (value != null) ? value : otherwise;
	}

	private static @Nullable Integer integerOrNull(Map<String, @Nullable Object> options, String name) {
		Object value = options.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Number number && number.doubleValue() == number.intValue()) {
			return number.intValue();
		}
		throw new CanvasException("Option '" + name + "' must be an integer, got " + value);
	}

	private static @Nullable String text(Map<String, @Nullable Object> options, String name) {
		Object value = options.get(name);
		return (value instanceof String text && !text.isEmpty()) ? text : null;
	}

	private static CanvasException invalid(CanvasSignature signature, String option, String expected) {
		return new CanvasException("Option '" + option + "' of signature '" + signature.task() + "' must be "
				+ expected);
	}

}
