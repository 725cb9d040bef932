package dev.taskqueue.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import dev.taskqueue.testsupport.RedisServer;

/**
 * Where the soak's workers write down each execution of a numbered task: one list per broker
 * in database 12 of the machine's Redis (which the soak never disturbs), one entry
 * {@code <number> <worker incarnation> <epoch millis>} per execution, pushed in one command
 * so that an execution is counted even when its worker is killed right after.
 */
final class SoakLedger implements AutoCloseable {

	/** The database of the machine's Redis the ledger lives in. */
	static final int DATABASE = 12;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final String key;

	SoakLedger(String key) {
		this.key = key;
		RedisURI uri = RedisURI.builder()
			.withHost(RedisServer.HOST)
			.withPort(RedisServer.PORT)
			.withDatabase(DATABASE)
			.withTimeout(Duration.ofSeconds(10))
			.build();
		this.client = RedisClient.create(uri);
		this.connection = this.client.connect();
	}

	/**
	 * Write down an execution.
	 * @param number the task's number
	 * @param incarnation the worker incarnation that ran it
	 */
	void executed(int number, String incarnation) {
		this.connection.sync().rpush(this.key, number + " " + incarnation + " " + System.currentTimeMillis());
	}

	/**
	 * Every execution written down so far, oldest first.
	 * @return the executions
	 */
	List<Execution> executions() {
		List<Execution> executions = new ArrayList<>();
		for (String entry : this.connection.sync().lrange(this.key, 0, -1)) {
			String[] parts = entry.split(" ");
			executions.add(new Execution(Integer.parseInt(parts[0]), parts[1], Long.parseLong(parts[2])));
		}
		return executions;
	}

	/** Remove the ledger. */
	void delete() {
		this.connection.sync().del(this.key);
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

	/**
	 * One execution of a numbered task.
	 *
	 * @param number the task's number
	 * @param incarnation the worker incarnation that ran it
	 * @param at when it finished, epoch millis
	 */
	record Execution(int number, String incarnation, long at) {

	}

}
