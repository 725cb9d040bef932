package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script run on a Spring Data Redis connection by its SHA, and sent whole once when
 * Redis answers {@code NOSCRIPT} (after a restart or a {@code SCRIPT FLUSH}). Most take one
 * key and return an integer; {@link #eval(RedisConnection, ReturnType, int, byte[][])} runs
 * the others.
 * <p>
 * Public only so that beat's Redis leadership ({@code dev.taskqueue.beat.redis}) runs its
 * scripts the same way; it is not meant for applications.
 */
public final class KeyScript {

	private final byte[] source;

	private final String sha1;

	/**
	 * Create a script.
	 * @param source the Lua source
	 */
	public KeyScript(String source) {
		this.source = source.getBytes(StandardCharsets.UTF_8);
		this.sha1 = RedisScript.of(source, Long.class).getSha1();
	}

	/**
	 * Run a script of one key that returns an integer.
	 * @param connection the connection
	 * @param keyAndArgs the key, then the arguments
	 * @return what the script returned
	 */
	public @Nullable Long eval(RedisConnection connection, byte[]... keyAndArgs) {
		return eval(connection, ReturnType.INTEGER, 1, keyAndArgs);
	}

	/**
	 * Run the script.
	 * @param <T> the Java type of the reply: {@link Long} for {@code INTEGER}, a list of
	 * {@code byte[]} for {@code MULTI}
	 * @param connection the connection
	 * @param type the type of what the script returns
	 * @param keys how many of the values are keys
	 * @param keysAndArgs the keys, then the arguments
	 * @return what the script returned
	 */
	public <T> @Nullable T eval(RedisConnection connection, ReturnType type, int keys, byte[]... keysAndArgs) {
		try {
			return connection.scriptingCommands().evalSha(this.sha1, type, keys, keysAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands().eval(this.source, type, keys, keysAndArgs);
		}
	}

	private static boolean isNoScript(@Nullable Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current.getMessage() != null && current.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

}
