package dev.taskqueue.beat.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.protocol.CeleryTime;

/**
 * The last ticks of beat's entries in a Redis hash, {@code key}: one field per entry name, whose
 * value is the time the tick was due in ISO 8601 as Celery writes times
 * ({@code 2026-12-05T16:00:00.000000+00:00}, to the microsecond), so that people and Python
 * read it as easily as Java. Failures to reach Redis are thrown as Spring's data access
 * exceptions.
 */
public class RedisBeatStore implements BeatStore {

	private final RedisConnectionFactory factory;

	private final byte[] key;

	/**
	 * Create the store.
	 * @param factory the connection factory of the Redis to keep the ticks in
	 * @param key the key of the hash, the same for all the instances
	 */
	public RedisBeatStore(RedisConnectionFactory factory, String key) {
		Assert.hasText(key, "The beat store key must not be empty");
		this.factory = factory;
		this.key = key.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public @Nullable Instant lastRun(String entry) {
		byte[] value;
		try (RedisConnection connection = this.factory.getConnection()) {
			value = connection.hashCommands().hGet(this.key, field(entry));
		}
		if (value == null) {
			return null;
		}
		String text = new String(value, StandardCharsets.UTF_8);
		try {
			return CeleryTime.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalStateException("The field '" + entry + "' of the beat hash "
					+ new String(this.key, StandardCharsets.UTF_8) + " holds '" + text
					+ "', not the ISO 8601 time of a tick; delete it to start the entry afresh", ex);
		}
	}

	@Override
	public void saveLastRun(String entry, Instant due) {
		try (RedisConnection connection = this.factory.getConnection()) {
			connection.hashCommands()
				.hSet(this.key, field(entry), CeleryTime.format(due).getBytes(StandardCharsets.UTF_8));
		}
	}

	private static byte[] field(String entry) {
		return entry.getBytes(StandardCharsets.UTF_8);
	}

}
