package dev.taskqueue.events;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Event timestamps as Celery's receiver normalises them: {@code timestamp} is moved by the
 * difference between the sender's {@code utcoffset} (hours west of UTC) and the local one,
 * {@code ts - (utcoffset - here) * 3600}.
 */
final class EventTimestamps {

	// beyond any real zone: a larger utcoffset is untrusted input, left as it is
	private static final int MAX_OFFSET_HOURS = 26;

	private EventTimestamps() {
	}

	static Map<String, Object> normalise(Map<String, Object> event, Clock clock) {
		if (!(event.get("timestamp") instanceof Number timestamp) || !(event.get("utcoffset") instanceof Number offset)
				|| Math.abs(offset.doubleValue()) > MAX_OFFSET_HOURS) {
			return event;
		}
		int here = localUtcoffset(clock);
		Map<String, Object> normalised = new LinkedHashMap<>(event);
		normalised.put("timestamp", timestamp.doubleValue() - (offset.doubleValue() - here) * 3600);
		return normalised;
	}

	// Python's celery.utils.time.utcoffset: hours west of UTC, floored
	static int localUtcoffset(Clock clock) {
		int seconds = clock.getZone().getRules().getOffset(clock.instant()).getTotalSeconds();
		return Math.floorDiv(-seconds, 3600);
	}

	static @Nullable Instant timestamp(Map<String, Object> event) {
		if (!(event.get("timestamp") instanceof Number number)) {
			return null;
		}
		double seconds = number.doubleValue();
		if (!Double.isFinite(seconds) || Math.abs(seconds) > 1e11) {
			return null;
		}
		long whole = (long) Math.floor(seconds);
		return Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1e9));
	}

}
