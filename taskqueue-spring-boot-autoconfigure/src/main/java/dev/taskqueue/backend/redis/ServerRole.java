package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * The role of the Redis a connection reached ({@code INFO replication}) and its address as the
 * connection reached it ({@code CLIENT INFO}'s {@code laddr}, the server's end), for the health
 * check: after a Sentinel failover it tells which server the backend follows. Either is
 * {@code null} when Redis refuses the command to the user (an ACL, a renamed command).
 *
 * @param role {@code master} or {@code slave}, or {@code null}
 * @param address the host and port, or {@code null}
 */
record ServerRole(@Nullable String role, @Nullable String address) {

	/**
	 * Ask the Redis of a connection.
	 * @param connection the connection
	 * @return its role and address
	 */
	static ServerRole of(RedisConnection connection) {
		return new ServerRole(replicationRole(connection), serverAddress(connection));
	}

	/**
	 * Whether the server takes writes: a master, or a server that does not tell.
	 * @return whether it is not known to be a replica
	 */
	boolean isMaster() {
		return this.role == null || "master".equals(this.role);
	}

	@Override
	public String toString() {
		return ((this.role != null) ? this.role : "server") + ((this.address != null) ? " " + this.address : "");
	}

	private static @Nullable String replicationRole(RedisConnection connection) {
		try {
			Properties replication = connection.serverCommands().info("replication");
			return (replication != null) ? replication.getProperty("role") : null;
		}
		catch (DataAccessException ex) {
			return null;
		}
	}

	private static @Nullable String serverAddress(RedisConnection connection) {
		try {
			Object info = connection.execute("CLIENT", "INFO".getBytes(StandardCharsets.US_ASCII));
			String text = (info instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: (info != null) ? info.toString() : null;
			if (text != null) {
				for (String field : text.trim().split(" ")) {
					if (field.startsWith("laddr=")) {
						return field.substring("laddr=".length());
					}
				}
			}
			return null;
		}
		catch (DataAccessException ex) {
			return null;
		}
	}

}
