package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.broker.Consumption;

/**
 * The {@link WorkerControl} of a {@link WorkerContainer}: reads and changes what its current
 * run holds.
 */
final class ContainerControl implements WorkerControl {

	private final WorkerContainer container;

	ContainerControl(WorkerContainer container) {
		this.container = container;
	}

	@Override
	public String hostname() {
		return this.container.hostname();
	}

	@Override
	public WorkerSettings settings() {
		return this.container.settings();
	}

	@Override
	public WorkerState state() {
		return this.container.state();
	}

	@Override
	public String brokerUrl() {
		return this.container.broker().url();
	}

	@Override
	public @Nullable RevokedTaskStore revokedTaskStore() {
		return this.container.revokedTaskStore();
	}

	@Override
	public boolean isRunning() {
		return this.container.isRunning();
	}

	@Override
	public Duration uptime() {
		long started = this.container.startedNanos();
		return (started != 0 && isRunning()) ? Duration.ofNanos(System.nanoTime() - started) : Duration.ZERO;
	}

	@Override
	public Collection<TaskEndpoint> tasks(boolean builtins) {
		TaskRegistry registry = this.container.registry();
		List<TaskEndpoint> tasks = new ArrayList<>(registry.endpoints());
		if (builtins) {
			registry.builtins().stream().filter((task) -> registry.find(task.name()) == task).forEach(tasks::add);
		}
		return tasks;
	}

	@Override
	public @Nullable TaskEndpoint task(String name) {
		return this.container.registry().find(name);
	}

	@Override
	public boolean updateTask(String name, UnaryOperator<TaskSettings> change) {
		return this.container.registry().update(name, change);
	}

	@Override
	public List<WorkerRequest> requests() {
		RunningWorker running = this.container.runningWorker();
		return (running != null) ? running.dispatcher().requests().snapshot() : List.of();
	}

	@Override
	public List<String> queues() {
		RunningWorker running = this.container.runningWorker();
		return (running != null) ? consumptions(running).queues() : List.of();
	}

	@Override
	public boolean addQueue(String queue) {
		return consumptions(required()).add(queue);
	}

	@Override
	public boolean cancelQueue(String queue) {
		return consumptions(required()).cancel(queue);
	}

	@Override
	public int concurrency() {
		RunningWorker running = this.container.runningWorker();
		return (running != null) ? running.executor().concurrency() : this.container.settings().concurrency();
	}

	@Override
	public void setConcurrency(int concurrency) {
		RunningWorker running = required();
		running.executor().setConcurrency(concurrency);
		consumptions(running).setPrefetch(concurrency * this.container.settings().prefetchMultiplier());
	}

	@Override
	public int prefetch() {
		RunningWorker running = this.container.runningWorker();
		return (running != null) ? consumptions(running).prefetch() : this.container.settings().prefetch();
	}

	@Override
	public String poolImplementation() {
		return "ThreadPoolExecutor";
	}

	private RunningWorker required() {
		RunningWorker running = this.container.runningWorker();
		if (running == null) {
			throw new IllegalStateException("The worker does not run");
		}
		return running;
	}

	private static QueueConsumptions consumptions(RunningWorker running) {
		Consumption consumption = running.consumption();
		if (consumption instanceof QueueConsumptions queues) {
			return queues;
		}
		throw new IllegalStateException("The worker's consumption cannot change at run time");
	}

}
