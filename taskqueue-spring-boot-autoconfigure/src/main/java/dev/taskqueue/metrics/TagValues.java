package dev.taskqueue.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The values one tag may take, bounded: task names and queue names come from messages, and
 * every distinct value is a new time series in the monitoring system. Values past the limit,
 * and values longer than {@link #MAX_LENGTH}, become {@link #OTHER}. Under contention a few
 * more values than the limit may be let in.
 */
final class TagValues {

	/** The value of a tag whose values ran out. */
	static final String OTHER = "other";

	static final int MAX_LENGTH = 200;

	private static final Log logger = LogFactory.getLog(TagValues.class);

	private final String tag;

	private final int limit;

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean full = new AtomicBoolean();

	TagValues(String tag, int limit) {
		this.tag = tag;
		this.limit = limit;
	}

	String of(String value) {
		if (this.seen.contains(value)) {
			return value;
		}
		if (value.length() > MAX_LENGTH) {
			return OTHER;
		}
		if (this.seen.size() >= this.limit) {
			if (this.full.compareAndSet(false, true)) {
				logger.warn("More than " + this.limit + " distinct values of the meter tag '" + this.tag
						+ "'; further values are tagged '" + OTHER + "'");
			}
			return OTHER;
		}
		this.seen.add(value);
		return value;
	}

}
