package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script of one key returning an integer, run on a Spring Data Redis connection by its
 * SHA, and sent whole once when Redis answers {@code NOSCRIPT} (after a restart or a
 * {@code SCRIPT FLUSH}).
 */
final class KeyScript {

	private final byte[] source;

	private final String sha1;

	KeyScript(String source) {
		this.source = source.getBytes(StandardCharsets.UTF_8);
		this.sha1 = RedisScript.of(source, Long.class).getSha1();
	}

	/**
	 * Run the script.
	 * @param connection the connection
	 * @param keyAndArgs the key, then the arguments
	 * @return what the script returned
	 */
	@Nullable Long eval(RedisConnection connection, byte[]... keyAndArgs) {
		try {
			return connection.scriptingCommands().evalSha(this.sha1, ReturnType.INTEGER, 1, keyAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands().eval(this.source, ReturnType.INTEGER, 1, keyAndArgs);
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
