package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.SharedTokenBuckets;

/**
 * Token buckets shared by all workers, kept in Redis: each bucket is a hash of its tokens and
 * the time they were counted, under the key prefix followed by the bucket name. Taking a
 * token is one Lua script, atomic on the server: it refills the bucket by the time passed
 * since, read from Redis' own {@code TIME} so that the workers' clocks do not matter, then
 * takes a token or returns the wait until one. A bucket expires once it would be full again,
 * so idle buckets leave no keys behind.
 */
public class RedisTokenBuckets implements SharedTokenBuckets {

	/**
	 * KEYS[1] the bucket; ARGV[1] tokens per second, ARGV[2] capacity, ARGV[3] expiry in
	 * milliseconds. Returns 0 when a token was taken, else the wait in microseconds. Numbers
	 * go to HSET as numbers, which Redis writes exactly (tostring would round the time to 14
	 * digits). Redis before 5 replicates scripts verbatim and refuses writes after TIME
	 * unless told to replicate the effects.
	 */
	static final String SOURCE = """
			if redis.replicate_commands then
				redis.replicate_commands()
			end
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
			local perMicro = tonumber(ARGV[1]) / 1000000
			local capacity = tonumber(ARGV[2])
			local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
			local tokens = tonumber(bucket[1])
			local at = tonumber(bucket[2])
			if tokens == nil or at == nil then
				tokens = capacity
			elseif now > at then
				tokens = math.min(capacity, tokens + (now - at) * perMicro)
			end
			local wait = 0
			if tokens >= 1 then
				tokens = tokens - 1
			else
				wait = math.max(1, math.ceil((1 - tokens) / perMicro))
			end
			redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			return wait
			""";

	private static final KeyScript SCRIPT = new KeyScript(SOURCE);

	/** How long a full bucket is kept past the time it took to fill. */
	private static final long EXPIRY_MARGIN_MILLIS = 1000;

	private final RedisConnectionFactory connectionFactory;

	private final String keyPrefix;

	private final String url;

	/**
	 * Create the buckets.
	 * @param connectionFactory the factory of connections to the Redis database of the
	 * buckets; owned (and closed) by the caller
	 * @param keyPrefix what each bucket's key starts with, such as
	 * {@code taskqueue-rate-limit:}
	 * @param maskedUrl the URL of that database without its password, for messages
	 */
	public RedisTokenBuckets(RedisConnectionFactory connectionFactory, String keyPrefix, String maskedUrl) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(keyPrefix, "'keyPrefix' must not be null");
		Assert.hasText(maskedUrl, "'maskedUrl' must not be empty");
		this.connectionFactory = connectionFactory;
		this.keyPrefix = keyPrefix;
		this.url = maskedUrl;
	}

	@Override
	public Duration take(String bucket, double tokensPerSecond, int capacity) {
		Assert.hasText(bucket, "'bucket' must not be empty");
		Assert.isTrue(tokensPerSecond > 0 && Double.isFinite(tokensPerSecond), "'tokensPerSecond' must be positive");
		Assert.isTrue(capacity >= 1, "'capacity' must be at least 1");
		long expiry = (long) Math.ceil(capacity / tokensPerSecond * 1000) + EXPIRY_MARGIN_MILLIS;
		byte[][] keysAndArgs = { bytes(this.keyPrefix + bucket), bytes(Double.toString(tokensPerSecond)),
				bytes(Integer.toString(capacity)), bytes(Long.toString(expiry)) };
		Long wait;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			wait = SCRIPT.eval(connection, keysAndArgs);
		}
		catch (RuntimeException ex) {
			throw new ResultBackendException("Cannot take a token of rate limit bucket '" + bucket + "' in " + this.url
					+ ": " + ex.getMessage(), ex);
		}
		Assert.state(wait != null, "The token bucket script returned nothing");
		return Duration.ofNanos(Math.multiplyExact(wait, 1000L));
	}

	@Override
	public String url() {
		return this.url;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "RedisTokenBuckets[" + this.url + "]";
	}

}
