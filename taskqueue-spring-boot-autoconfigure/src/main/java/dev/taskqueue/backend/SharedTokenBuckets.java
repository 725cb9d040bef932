package dev.taskqueue.backend;

import java.time.Duration;

/**
 * Token buckets that all workers share, for rate limits that hold across workers rather than
 * on each one. A bucket fills at a steady rate up to its capacity, and each task start takes
 * one token. Implementations are thread-safe, and taking a token is atomic across workers.
 * Buckets that are not used for a while may be forgotten: a forgotten bucket is full.
 */
public interface SharedTokenBuckets {

	/**
	 * Take one token from a bucket, or say how long until one is there.
	 * @param bucket the bucket's name, such as the task name
	 * @param tokensPerSecond how fast the bucket fills, positive
	 * @param capacity the most tokens the bucket holds, at least one
	 * @return {@link Duration#ZERO} when a token was taken, otherwise how long until one is
	 * due (another worker may take it first)
	 * @throws ResultBackendException when the shared store cannot be reached
	 */
	Duration take(String bucket, double tokensPerSecond, int capacity);

	/**
	 * Where the buckets are kept, without a password, for messages.
	 * @return a description of the store, such as its URL
	 */
	String url();

}
