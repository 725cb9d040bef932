package dev.taskqueue.interop;

import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskContext;

/**
 * Tasks of the canvas interop tests, registered on the Java side only when a test adds this
 * class to a {@link JavaSample}: {@code tasks.java_add} and {@code tasks.java_mul}, which Python
 * does not register, and the Java twins of the Python {@code tasks.count_sum} and
 * {@code tasks.on_error}, which count their runs in Redis as {@link RecordTask} does. A
 * worker's name for itself is the property {@code sample.node} ({@code java} by default).
 */
@Configuration(proxyBeanMethods = false)
class CanvasTasks implements DisposableBean {

	private final RedisClient client = RedisClient.create(Interop.RECORDS);

	private final StatefulRedisConnection<String, String> connection = this.client.connect();

	private final String node;

	CanvasTasks(@Value("${sample.node:java}") String node) {
		this.node = node;
	}

	/**
	 * What the tasks counted under a key: task id to runs, or node to runs for {@code key:by}.
	 * @param key the hash key
	 * @return the counts, empty when nothing ran
	 */
	static Map<String, String> counts(String key) {
		return Interop.withRedis(Interop.RECORDS, (redis) -> redis.hgetall(key));
	}

	@CeleryTask(name = "tasks.java_add")
	long javaAdd(long x, long y) {
		return x + y;
	}

	@CeleryTask(name = "tasks.java_mul")
	long javaMul(long x, long y) {
		return x * y;
	}

	/** A chord body that counts its runs under {@code key}, by task id, and by node in {@code key:by}. */
	@CeleryTask(name = "tasks.count_sum")
	long countSum(List<Long> numbers, String key, TaskContext context) {
		count(key, context.id());
		return numbers.stream().mapToLong(Long::longValue).sum();
	}

	/** An errback: counts under the keyword argument {@code key} the failed task id it was sent. */
	@CeleryTask(name = "tasks.on_error")
	String onError(String taskId, String key) {
		count(key, taskId);
		return taskId;
	}

	/** A chord member that counts which node ran it under {@code key:by}, and returns {@code x}. */
	@CeleryTask(name = "tasks.tally")
	long tally(long x, String key) {
		this.connection.sync().hincrby(key + ":by", this.node, 1);
		return x;
	}

	private void count(String key, String id) {
		this.connection.sync().hincrby(key, id, 1);
		this.connection.sync().hincrby(key + ":by", this.node, 1);
	}

	@Override
	public void destroy() {
		this.connection.close();
		this.client.shutdown();
	}

}
