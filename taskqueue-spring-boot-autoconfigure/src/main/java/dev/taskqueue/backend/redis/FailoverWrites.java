package dev.taskqueue.backend.redis;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.util.Assert;

import dev.taskqueue.backend.ResultBackendException;

/**
 * How the Redis result backend's writes live through a failover.
 * <ul>
 * <li>A write refused with {@code READONLY} reached a replica, such as a master being demoted:
 * it did not happen, and is tried again every 100 ms, for up to the command timeout, until the
 * connection reaches a master (Sentinel disconnects the clients of the instance it demotes,
 * and Lettuce reconnects through the Sentinels).</li>
 * <li>A stored result whose connection broke under it (the master crashed) is stored again:
 * rewriting the same meta is harmless. A Redis that cannot be reached at all fails the store at
 * once.</li>
 * <li>With {@link #waitForReplicas}, a stored result waits until that many replicas have it
 * (Redis {@code WAIT} on the same connection, which covers the write before it), and is stored
 * again while fewer did, so that the replica Sentinel promotes has it.</li>
 * </ul>
 */
final class FailoverWrites {

	/** The command timeout when the connection factory does not say. */
	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration RETRY_DELAY = Duration.ofMillis(100);

	private final String url;

	private final Duration commandTimeout;

	private volatile int replicas;

	private volatile Duration replicasTimeout = Duration.ofSeconds(1);

	FailoverWrites(String url, Duration commandTimeout) {
		this.url = url;
		this.commandTimeout = commandTimeout;
	}

	void waitForReplicas(int replicas, Duration timeout) {
		Assert.isTrue(replicas >= 0, "'replicas' must not be negative");
		Assert.isTrue(timeout != null && timeout.toMillis() > 0, "'timeout' must be at least a millisecond");
		this.replicas = replicas;
		this.replicasTimeout = timeout;
	}

	/**
	 * Return when tries of a write started now must stop.
	 * @return the deadline, in {@link System#nanoTime()}
	 */
	long deadline() {
		return System.nanoTime() + this.commandTimeout.toNanos();
	}

	/**
	 * Whether a write that failed so may be tried again before the deadline: Redis refused
	 * it as a replica.
	 * @param ex the failure
	 * @param deadline the deadline of the tries
	 * @return whether to try again
	 */
	boolean mayWriteAgain(Throwable ex, long deadline) {
		return inTime(deadline) && refusedByReplica(ex);
	}

	/**
	 * Whether a result store that failed so may be made again before the deadline: fewer
	 * replicas than asked for had it, or the connection broke under it.
	 * @param ex the failure
	 * @param deadline the deadline of the tries
	 * @return whether to store again
	 */
	boolean mayStoreAgain(ResultBackendException ex, long deadline) {
		return inTime(deadline) && (ex.getCause() instanceof UnreplicatedWrite || connectionLost(ex));
	}

	/**
	 * Wait, with {@link #waitForReplicas}, until that many replicas have the writes made so
	 * far on a connection.
	 * @param connection the connection of the write
	 * @param action what was written, for the message of a failure
	 * @throws ResultBackendException when fewer replicas had it in time
	 */
	void awaitReplicas(RedisConnection connection, String action) {
		int wanted = this.replicas;
		Duration timeout = this.replicasTimeout;
		if (wanted == 0) {
			return;
		}
		if (!(connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> commands)) {
			throw new ResultBackendException(
					"Waiting for replicas needs a Lettuce connection, not " + connection.getClass().getName());
		}
		Long count;
		try {
			count = commands.waitForReplication(wanted, timeout.toMillis())
				.toCompletableFuture()
				.get(timeout.toMillis() + this.commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new ResultBackendException(
					"Could " + action + " in " + this.url + " on the master, but not wait for its replicas: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResultBackendException("Interrupted while waiting for the replicas of " + this.url, ex);
		}
		if (count == null || count < wanted) {
			throw new UnreplicatedWrite("Could " + action + " in " + this.url + " on the master, but only " + count
					+ " of the " + wanted + " replicas asked for (wait-for-replicas) had it within " + timeout
					+ ": a failover could lose it");
		}
	}

	/**
	 * Wait a little before writing again: a failover takes seconds.
	 * @param action what is written, for the message when interrupted
	 */
	void pause(String action) {
		try {
			Thread.sleep(RETRY_DELAY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResultBackendException(
					"Interrupted while waiting for a Redis master to " + action + " in " + this.url, ex);
		}
	}

	private static boolean inTime(long deadline) {
		return System.nanoTime() + RETRY_DELAY.toNanos() < deadline;
	}

	// a READONLY error anywhere in the causes
	private static boolean refusedByReplica(Throwable ex) {
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof RedisReadOnlyException
					|| (cause.getMessage() != null && cause.getMessage().startsWith("READONLY"))) {
				return true;
			}
		}
		return false;
	}

	// the connection broke under the command (reset, closed), so whether it ran is unknown; not
	// a connection that could not be made (Redis unreachable), which fails at once as before
	private static boolean connectionLost(Throwable ex) {
		boolean lost = false;
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof RedisConnectionException || cause instanceof ConnectException) {
				return false;
			}
			lost = lost || cause instanceof IOException || "Connection closed".equals(cause.getMessage());
		}
		return lost;
	}

	/** A write the master made, and fewer replicas than asked for confirmed in time. */
	private static final class UnreplicatedWrite extends ResultBackendException {

		UnreplicatedWrite(String message) {
			super(message);
		}

	}

}
