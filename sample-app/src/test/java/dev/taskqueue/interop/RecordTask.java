package dev.taskqueue.interop;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskContext;

/**
 * The Java twin of the Python {@code tasks.record}: counts each execution of a task id in a
 * Redis hash, so that tests can prove each task ran exactly once whichever side ran it.
 */
@Configuration(proxyBeanMethods = false)
class RecordTask implements DisposableBean {

	private final RedisClient client = RedisClient.create(Interop.RECORDS);

	private final StatefulRedisConnection<String, String> connection = this.client.connect();

	@CeleryTask(name = "tasks.record")
	String record(String key, TaskContext context) {
		this.connection.sync().hincrby(key, context.id(), 1);
		this.connection.sync().hincrby(key + ":by", "java", 1);
		return "java";
	}

	@Override
	public void destroy() {
		this.connection.close();
		this.client.shutdown();
	}

}
