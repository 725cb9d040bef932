package dev.taskqueue.events;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.LamportClock;

/**
 * Makes events as Celery's {@code Event(...)} inside {@code EventDispatcher.send} does: the
 * standard fields {@code hostname}, {@code utcoffset}, {@code pid} and {@code clock} first,
 * then the event's own fields, then {@code timestamp} and {@code type}.
 */
final class EventFactory {

	private static final long PID = ProcessHandle.current().pid();

	private final String hostname;

	private final LamportClock lamport;

	private final Clock clock;

	EventFactory(String hostname, LamportClock lamport, Clock clock) {
		this.hostname = hostname;
		this.lamport = lamport;
		this.clock = clock;
	}

	String hostname() {
		return this.hostname;
	}

	/**
	 * Make an event, advancing the Lamport clock.
	 * @param type the event type, such as {@code task-started}
	 * @param fields the event's own fields, in order
	 * @return a new map, in Celery's field order
	 */
	Map<String, @Nullable Object> create(String type, Map<String, ? extends @Nullable Object> fields) {
		Instant now = this.clock.instant();
		Map<String, @Nullable Object> event = new LinkedHashMap<>(16);
		event.put("hostname", this.hostname);
		event.put("utcoffset", utcOffset(this.clock.getZone(), now));
		event.put("pid", PID);
		event.put("clock", this.lamport.forward());
		event.putAll(fields);
		event.put("timestamp", epochSeconds(now));
		event.put("type", type);
		return event;
	}

	/**
	 * Celery's {@code utcoffset()}: the hours west of UTC of a zone at an instant, rounded down
	 * as Python's {@code time.timezone // 3600} is (UTC+1 is {@code -1}, UTC+5:30 is
	 * {@code -6}, UTC-5 is {@code 5}).
	 * @param zone the zone
	 * @param now the instant
	 * @return the offset in hours
	 */
	static int utcOffset(ZoneId zone, Instant now) {
		return Math.floorDiv(-zone.getRules().getOffset(now).getTotalSeconds(), 3600);
	}

	/**
	 * Python's {@code time.time()}: seconds since the epoch with a fraction.
	 * @param instant the instant
	 * @return the seconds
	 */
	static double epochSeconds(Instant instant) {
		return instant.getEpochSecond() + instant.getNano() / 1e9;
	}

}
