package dev.taskqueue.routing;

import java.util.Locale;

/**
 * The AMQP exchange types Celery routes with.
 */
public enum ExchangeType {

	/** Exact routing-key match (Celery's default). */
	DIRECT,

	/** Routing-key patterns: {@code *} one word, {@code #} zero or more words. */
	TOPIC,

	/** Every bound queue gets a copy. */
	FANOUT;

	/**
	 * Return the type's name on the wire: {@code direct}, {@code topic} or {@code fanout}.
	 * @return the wire name
	 */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
