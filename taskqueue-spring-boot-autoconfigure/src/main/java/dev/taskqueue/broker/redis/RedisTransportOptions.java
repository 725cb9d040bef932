package dev.taskqueue.broker.redis;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * Settings of the Redis transport that every participant (Java and Python) must share.
 *
 * @param url the broker URL with any password already masked, as reported by
 * {@link RedisBroker#url()} and in error messages
 * @param visibilityTimeout how long a delivered message may stay unacknowledged and
 * unrenewed before any consumer may give it back to its queue (kombu's
 * {@code visibility_timeout}, default one hour)
 * @param globalKeyPrefix prepended to every Redis key the transport uses (kombu's
 * {@code global_keyprefix}); {@code ""} for none
 * @param maxInFlight the most publishes waiting for Redis's reply at once; a publish waits
 * for room beyond that
 * @param waitForReplicas how many replicas must have a published message before the publish
 * succeeds (Redis {@code WAIT}); 0 to succeed once the master has it, as kombu does
 * @param waitForReplicasTimeout the longest a publish waits for those replicas; it fails when
 * fewer had the message by then
 */
public record RedisTransportOptions(String url, Duration visibilityTimeout, String globalKeyPrefix,
		int maxInFlight, int waitForReplicas, Duration waitForReplicasTimeout) {

	/** How long a publish waits for replicas by default, when it waits for any. */
	public static final Duration DEFAULT_WAIT_FOR_REPLICAS_TIMEOUT = Duration.ofSeconds(1);

	/** Kombu's default visibility timeout. */
	public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofHours(1);

	/** The most publishes waiting for Redis's reply at once by default. */
	public static final int DEFAULT_MAX_IN_FLIGHT = 256;

	public RedisTransportOptions {
		Assert.notNull(url, "'url' must not be null");
		Assert.notNull(visibilityTimeout, "'visibilityTimeout' must not be null");
		Assert.isTrue(!visibilityTimeout.isNegative() && !visibilityTimeout.isZero(),
				"'visibilityTimeout' must be positive");
		Assert.notNull(globalKeyPrefix, "'globalKeyPrefix' must not be null");
		Assert.isTrue(maxInFlight > 0, "'maxInFlight' must be positive");
		Assert.isTrue(waitForReplicas >= 0, "'waitForReplicas' must not be negative");
		Assert.isTrue(waitForReplicasTimeout != null && waitForReplicasTimeout.toMillis() > 0,
				"'waitForReplicasTimeout' must be at least a millisecond");
	}

	/**
	 * Settings that do not wait for replicas.
	 * @param url the masked broker URL
	 * @param visibilityTimeout kombu's visibility timeout
	 * @param globalKeyPrefix kombu's global key prefix
	 * @param maxInFlight the most publishes waiting for Redis's reply at once
	 */
	public RedisTransportOptions(String url, Duration visibilityTimeout, String globalKeyPrefix, int maxInFlight) {
		this(url, visibilityTimeout, globalKeyPrefix, maxInFlight, 0, DEFAULT_WAIT_FOR_REPLICAS_TIMEOUT);
	}

	/**
	 * Settings with the default in-flight window.
	 * @param url the masked broker URL
	 * @param visibilityTimeout kombu's visibility timeout
	 * @param globalKeyPrefix kombu's global key prefix
	 */
	public RedisTransportOptions(String url, Duration visibilityTimeout, String globalKeyPrefix) {
		this(url, visibilityTimeout, globalKeyPrefix, DEFAULT_MAX_IN_FLIGHT);
	}

	/**
	 * Kombu's defaults: a visibility timeout of one hour and no key prefix.
	 * @param maskedUrl the broker URL with any password masked
	 * @return the options
	 */
	public static RedisTransportOptions defaults(String maskedUrl) {
		return new RedisTransportOptions(maskedUrl, DEFAULT_VISIBILITY_TIMEOUT, "");
	}

}
