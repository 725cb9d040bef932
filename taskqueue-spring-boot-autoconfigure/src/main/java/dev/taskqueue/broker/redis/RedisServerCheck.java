package dev.taskqueue.broker.redis;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BrokerException;

/**
 * The broker's health check: Redis answers, is a master, and at which address, which after a
 * Sentinel failover tells which server the connection follows.
 */
final class RedisServerCheck {

	private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

	private RedisServerCheck() {
	}

	/**
	 * Check that Redis answers and takes writes: a replica (a demoted master after a failover)
	 * answers PING but refuses every publish and acknowledgement. A Redis that refuses
	 * {@code ROLE} (an ACL, a renamed command) is taken as writable.
	 * @param connector the broker's connections
	 * @return the role and address of the server that answered, such as
	 * {@code master 127.0.0.1:6379}
	 * @throws BrokerException when Redis does not answer, or is a replica
	 */
	static String ping(RedisConnector connector) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = connector.commands();
		RedisFuture<String> pong = commands.ping();
		RedisFuture<List<Object>> role = commands.role();
		RedisFuture<String> client = commands.clientInfo();
		connector.await(pong, "answer PING", PING_TIMEOUT);
		String name = refusedAsNull(() -> {
			List<Object> reply = connector.await(role, "answer ROLE", PING_TIMEOUT);
			Object first = (reply != null && !reply.isEmpty()) ? reply.get(0) : null;
			return (first instanceof byte[] bytes) ? RedisKeys.string(bytes) : String.valueOf(first);
		});
		String address = refusedAsNull(() -> serverAddress(connector.await(client, "answer CLIENT INFO",
				PING_TIMEOUT)));
		if (name != null && !"master".equals(name)) {
			throw new BrokerException("Redis broker " + connector.url() + " is a " + name
					+ ((address != null) ? " (" + address + ")" : "")
					+ ", not a master: it refuses writes (after a failover, connect to the new master)");
		}
		return ((name != null) ? name : "server") + ((address != null) ? " " + address : "");
	}

	// the answer of a command the user may be refused (ACL, renamed command), null when refused
	private static @Nullable String refusedAsNull(Supplier<@Nullable String> answer) {
		try {
			return answer.get();
		}
		catch (BrokerException ex) {
			if (ex.getCause() instanceof RedisCommandExecutionException) {
				return null;
			}
			throw ex;
		}
	}

	/**
	 * Return the server's address as the connection reached it: the {@code laddr} field of
	 * {@code CLIENT INFO}, the address of the server's end of the connection.
	 * @param clientInfo the answer of {@code CLIENT INFO}
	 * @return the host and port, or {@code null} when it does not say
	 */
	static @Nullable String serverAddress(@Nullable String clientInfo) {
		if (clientInfo == null) {
			return null;
		}
		for (String field : clientInfo.trim().split(" ")) {
			if (field.startsWith("laddr=")) {
				return field.substring("laddr=".length());
			}
		}
		return null;
	}

}
