package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.core.CeleryTask;

/**
 * The task of the RabbitMQ failover tests, recording what it ran, and the application that
 * runs it ({@link Application}).
 */
public class FailoverTasks {

	private final List<Integer> runs = new CopyOnWriteArrayList<>();

	/**
	 * Add two numbers.
	 * @param a one number
	 * @param b the other
	 * @return their sum
	 */
	@CeleryTask(name = "failover.add")
	public int add(int a, int b) {
		this.runs.add(a + b);
		return a + b;
	}

	/**
	 * The sums computed so far.
	 * @return the sums, in the order they ran
	 */
	public List<Integer> runs() {
		return List.copyOf(this.runs);
	}

	/** A worker of {@link FailoverTasks} with the auto-configuration. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class })
	static class Application {

		@Bean
		FailoverTasks failoverTasks() {
			return new FailoverTasks();
		}

	}

}
