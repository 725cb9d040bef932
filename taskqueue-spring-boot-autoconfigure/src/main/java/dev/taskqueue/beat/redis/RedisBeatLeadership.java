package dev.taskqueue.beat.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.Assert;

import dev.taskqueue.backend.redis.KeyScript;
import dev.taskqueue.beat.BeatLeadership;

/**
 * Beat leadership as a lease in Redis: the leader holds the string {@code key}, whose value is
 * its owner id and which expires after the lease. A follower takes it with
 * {@code SET key owner NX PX lease}, so only one instance can hold it; the leader renews it
 * with a script that extends the expiry only while the value is still its own, and releases it
 * with a script that deletes it only then, so an instance whose lease ran out can never
 * extend or delete its successor's. When the leader dies, the key expires and a follower takes
 * over within a lease. When Redis cannot be reached, {@link #tryLead()} answers {@code false},
 * so a leader that cannot renew stops sending before its lease can run out.
 */
public class RedisBeatLeadership implements BeatLeadership {

	private static final Log logger = LogFactory.getLog(RedisBeatLeadership.class);

	private static final KeyScript EXTEND = new KeyScript("""
			if redis.call('get', KEYS[1]) == ARGV[1] then
				return redis.call('pexpire', KEYS[1], ARGV[2])
			end
			return 0
			""");

	private static final KeyScript DELETE = new KeyScript("""
			if redis.call('get', KEYS[1]) == ARGV[1] then
				return redis.call('del', KEYS[1])
			end
			return 0
			""");

	private final RedisConnectionFactory factory;

	private final String key;

	private final byte[] keyBytes;

	private final byte[] owner;

	private final Duration lease;

	private final Object monitor = new Object();

	private boolean leading;

	private boolean failing;

	/**
	 * Create the leadership.
	 * @param factory the connection factory of the Redis keeping the lease
	 * @param key the key of the lease, the same for all the instances
	 * @param lease how long the lease lasts unless renewed, at least a millisecond
	 * @param owner the id of this instance, unique among them
	 */
	public RedisBeatLeadership(RedisConnectionFactory factory, String key, Duration lease, String owner) {
		Assert.hasText(key, "The beat leadership key must not be empty");
		Assert.hasText(owner, "The beat leadership owner must not be empty");
		Assert.isTrue(lease.toMillis() >= 1, () -> "The beat lease must be at least a millisecond, got " + lease);
		this.factory = factory;
		this.key = key;
		this.keyBytes = key.getBytes(StandardCharsets.UTF_8);
		this.owner = owner.getBytes(StandardCharsets.UTF_8);
		this.lease = lease;
	}

	@Override
	public boolean tryLead() {
		synchronized (this.monitor) {
			try (RedisConnection connection = this.factory.getConnection()) {
				this.leading = (this.leading && extend(connection)) || acquire(connection);
				reachable();
			}
			catch (RuntimeException ex) {
				unreachable(ex);
				this.leading = false;
			}
			return this.leading;
		}
	}

	@Override
	public void release() {
		synchronized (this.monitor) {
			this.leading = false;
			try (RedisConnection connection = this.factory.getConnection()) {
				DELETE.eval(connection, this.keyBytes, this.owner);
			}
			catch (RuntimeException ex) {
				// the lease then runs out by itself
				logger.warn("Could not release the beat lease " + this.key + " in Redis: " + ex.getMessage());
			}
		}
	}

	@Override
	public String describe() {
		return "redis " + this.key;
	}

	private boolean extend(RedisConnection connection) {
		Long extended = EXTEND.eval(connection, this.keyBytes, this.owner, millis());
		return extended != null && extended == 1L;
	}

	private boolean acquire(RedisConnection connection) {
		Boolean set = connection.stringCommands()
			.set(this.keyBytes, this.owner, Expiration.milliseconds(this.lease.toMillis()), SetOption.SET_IF_ABSENT);
		return Boolean.TRUE.equals(set);
	}

	private byte[] millis() {
		return Long.toString(this.lease.toMillis()).getBytes(StandardCharsets.US_ASCII);
	}

	private void reachable() {
		if (this.failing) {
			this.failing = false;
			logger.info("Redis keeps the beat lease " + this.key + " again");
		}
	}

	private void unreachable(RuntimeException ex) {
		// the scheduler asks every second: log an outage once, not at every ask
		if (!this.failing) {
			this.failing = true;
			logger.warn("Cannot reach Redis for the beat lease " + this.key
					+ "; this instance does not lead until it can: " + ex.getMessage());
		}
	}

}
