package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.data.redis.connection.RedisConnection;

/**
 * The Lua script that stores a task meta the way Celery's {@code RedisBackend.set} does, in
 * one atomic round trip: unless the stored meta is a SUCCESS, {@code SET} the key (with
 * {@code EX} or {@code PX} when results expire) and {@code PUBLISH} the same bytes on the
 * channel named like the key. Celery does {@code GET}, then {@code MULTI SETEX PUBLISH EXEC};
 * readers see the same commands' effects, without the race between the two steps.
 * <p>
 * The stored value is read as JSON or else as msgpack (Redis's {@code cjson} and
 * {@code cmsgpack}), so that a SUCCESS is kept whatever {@code result_serializer} wrote it. A
 * stored value that is neither is overwritten (Celery would fail to read it).
 */
final class StoreResultScript {

	static final String SOURCE = """
			local current = redis.call('GET', KEYS[1])
			if current then
				local ok, meta = pcall(cjson.decode, current)
				if not ok then
					ok, meta = pcall(cmsgpack.unpack, current)
				end
				if ok and type(meta) == 'table' and meta['status'] == 'SUCCESS' then
					return 0
				end
			end
			if ARGV[2] == '' then
				redis.call('SET', KEYS[1], ARGV[1])
			else
				redis.call('SET', KEYS[1], ARGV[1], ARGV[2], ARGV[3])
			end
			redis.call('PUBLISH', KEYS[1], ARGV[1])
			return 1
			""";

	private static final KeyScript SCRIPT = new KeyScript(SOURCE);

	private static final byte[] NONE = new byte[0];

	private final byte[] unit;

	private final byte[] amount;

	/**
	 * Create the script for an expiry time.
	 * @param expires how long results are kept, zero for ever
	 */
	StoreResultScript(Duration expires) {
		long millis = expires.toMillis();
		boolean seconds = millis % 1000 == 0;
		this.unit = (millis == 0) ? NONE : ascii(seconds ? "EX" : "PX");
		this.amount = (millis == 0) ? NONE : ascii(Long.toString(seconds ? millis / 1000 : millis));
	}

	/**
	 * Store a meta unless a SUCCESS is stored.
	 * @param connection the connection
	 * @param key the key, which is also the channel
	 * @param value the encoded meta
	 * @return whether the meta was stored and published
	 */
	boolean store(RedisConnection connection, byte[] key, byte[] value) {
		Long result = SCRIPT.eval(connection, key, value, this.unit, this.amount);
		return result != null && result == 1L;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
