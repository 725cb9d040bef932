package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.core.CeleryTask;

/**
 * The task of the RabbitMQ failover tests, recording what it ran.
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

}
