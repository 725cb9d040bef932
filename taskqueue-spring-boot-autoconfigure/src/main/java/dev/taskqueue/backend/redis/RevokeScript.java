package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * The Lua script of a revoke in {@link RedisRevokedTaskStore}, one atomic round trip: drop
 * the entries that expired, add each id scored by when its revoke expires (keeping a later
 * expiry already there), let the whole key expire with its last entry, and publish the revoke
 * on the channel named like the key. Plain commands of Redis 2.6 on, no {@code ZADD GT}.
 */
final class RevokeScript {

	static final String SOURCE = """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
			local expires = tonumber(ARGV[2])
			for i = 4, #ARGV do
				local current = redis.call('ZSCORE', KEYS[1], ARGV[i])
				if not current or tonumber(current) < expires then
					redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i])
				end
			end
			local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
			if last[2] then
				redis.call('PEXPIREAT', KEYS[1], last[2])
			end
			redis.call('PUBLISH', KEYS[1], ARGV[3])
			return #ARGV - 3
			""";

	private static final KeyScript SCRIPT = new KeyScript(SOURCE);

	private RevokeScript() {
	}

	/**
	 * Keep and publish a revoke.
	 * @param connection the connection
	 * @param key the key of the sorted set, also the channel
	 * @param now the time now, epoch milliseconds: older entries are dropped
	 * @param expires when the revokes expire, epoch milliseconds
	 * @param message the revoke as published
	 * @param taskIds the revoked ids
	 * @return the number of ids
	 */
	static @Nullable Long revoke(RedisConnection connection, byte[] key, long now, long expires, byte[] message,
			List<String> taskIds) {
		byte[][] keysAndArgs = new byte[4 + taskIds.size()][];
		keysAndArgs[0] = key;
		keysAndArgs[1] = ascii(Long.toString(now));
		keysAndArgs[2] = ascii(Long.toString(expires));
		keysAndArgs[3] = message;
		for (int i = 0; i < taskIds.size(); i++) {
			keysAndArgs[4 + i] = taskIds.get(i).getBytes(StandardCharsets.UTF_8);
		}
		return SCRIPT.eval(connection, keysAndArgs);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
