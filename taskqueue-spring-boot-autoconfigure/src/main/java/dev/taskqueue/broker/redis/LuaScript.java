package dev.taskqueue.broker.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * A Lua script run with {@code EVALSHA}, and with {@code EVAL} when the server does not know
 * it yet (after a restart or {@code SCRIPT FLUSH}).
 */
final class LuaScript {

	private final byte[] source;

	private final String sha;

	private final ScriptOutputType outputType;

	LuaScript(String source, ScriptOutputType outputType) {
		this.source = source.getBytes(StandardCharsets.UTF_8);
		this.sha = sha1(this.source);
		this.outputType = outputType;
	}

	/**
	 * Run the script. The command is written to the connection before this method returns,
	 * so it is ordered after the commands sent before it on the same connection.
	 * @param <T> the type of the script's result
	 * @param commands the commands of the connection to run it on
	 * @param keys the keys of the script
	 * @param args the arguments of the script
	 * @return the result of the script
	 */
	<T> CompletableFuture<T> run(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[][] keys,
			byte[]... args) {
		CompletableFuture<T> result = new CompletableFuture<>();
		RedisFuture<T> command = commands.evalsha(this.sha, this.outputType, keys, args);
		result.whenComplete((value, ex) -> {
			if (result.isCancelled()) {
				command.cancel(true);
			}
		});
		command.whenComplete((value, ex) -> {
			if (ex == null) {
				result.complete(value);
			}
			else if (isNoScript(ex)) {
				if (result.isDone()) {
					return;
				}
				commands.<T>eval(this.source, this.outputType, keys, args).whenComplete((retried, failure) -> {
					if (failure == null) {
						result.complete(retried);
					}
					else {
						result.completeExceptionally(failure);
					}
				});
			}
			else {
				result.completeExceptionally(ex);
			}
		});
		return result;
	}

	private static boolean isNoScript(Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null)
				? ex.getCause() : ex;
		return cause instanceof RedisNoScriptException
				|| (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"));
	}

	private static String sha1(byte[] source) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

}
