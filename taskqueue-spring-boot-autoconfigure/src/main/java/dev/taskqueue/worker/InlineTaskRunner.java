package dev.taskqueue.worker;

import java.time.Clock;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.canvas.CanvasPublisher;
import dev.taskqueue.canvas.TaskMessageSender;
import dev.taskqueue.protocol.NodeNames;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Runs a task message in the calling thread through the same path a pool thread of the
 * {@link WorkerContainer} takes: revoke and expiry checks, argument binding, {@code TaskContext},
 * invocation and result recording. ETAs are not waited for. For eager execution in tests,
 * where a send runs the task at once.
 */
public final class InlineTaskRunner {

	private final TaskRegistry registry;

	private final WorkerState state;

	private final WorkerSettings settings;

	private final ResultRecorder recorder;

	private final TaskArgumentBinder binder;

	private final TaskRetrier retrier;

	private final RevokedTasks revokes;

	/**
	 * Create a runner.
	 * @param registry the tasks it can run
	 * @param backend where task states are stored
	 * @param state where what ran is counted
	 * @param settings the node name, result format and acknowledgement policy
	 * @param mapper converts arguments to parameter types
	 */
	public InlineTaskRunner(TaskRegistry registry, ResultBackend backend, WorkerState state, WorkerSettings settings,
			JsonMapper mapper) {
		this(registry, backend, state, settings, mapper, null);
	}

	/**
	 * Create a runner that discards the tasks revoked in a store, as a worker does.
	 * @param registry the tasks it can run
	 * @param backend where task states are stored
	 * @param state where what ran is counted
	 * @param settings the node name, result format and acknowledgement policy
	 * @param mapper converts arguments to parameter types
	 * @param revokedTaskStore the revoked tasks, or {@code null} for none
	 */
	public InlineTaskRunner(TaskRegistry registry, ResultBackend backend, WorkerState state, WorkerSettings settings,
			JsonMapper mapper, @Nullable RevokedTaskStore revokedTaskStore) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		this.registry = registry;
		this.state = state;
		this.settings = settings;
		// the next steps of workflows run inline too, as Celery's eager mode runs them
		TaskMessageSender inline = (next, queue) -> run(new InlineDelivery(next, (queue != null) ? queue : "celery"));
		this.recorder = new ResultRecorder(backend, settings, new CanvasSteps(
				new CanvasPublisher(inline, backend, settings.hostname(), null, Clock.systemUTC()), backend));
		this.binder = new TaskArgumentBinder(mapper);
		this.retrier = new TaskRetrier((retry, queue) -> run(new InlineDelivery(retry, queue)), this.recorder, state,
				Clock.systemUTC(), RandomGenerator.getDefault(), NodeNames.client(), TaskListeners.NONE);
		this.revokes = new RevokedTasks(revokedTaskStore, this.recorder, state, TaskListeners.NONE);
	}

	/**
	 * Whether a task of this name is registered here.
	 * @param taskName the task name
	 * @return whether {@link #run(Delivery)} can run it
	 */
	public boolean canRun(String taskName) {
		return this.registry.find(taskName) != null;
	}

	/**
	 * Run the task of a delivery now, in this thread, and settle the delivery as the worker
	 * would: acknowledged when the task ran (successfully or not), dead-lettered with the reason
	 * when its arguments do not bind to the method.
	 * @param delivery the delivery
	 * @throws IllegalArgumentException when the task is not registered
	 */
	public void run(Delivery delivery) {
		TaskMessage message = delivery.message();
		TaskEndpoint endpoint = this.registry.find(message.task());
		Assert.isTrue(endpoint != null, () -> "Task '" + message.task() + "' is not registered");
		this.state.reserved();
		this.state.queued();
		new TaskExecution(delivery, message, endpoint, () -> false, this.binder,
				this.recorder, this.retrier, this.revokes, this.state, Clock.systemUTC(), null, TaskListeners.NONE,
				ExecutionObservations.NONE)
			.run();
	}

	/**
	 * The delivery of a retry or a workflow's next step run inline: at once, as Celery's eager
	 * tasks run, whatever their countdown.
	 */
	private record InlineDelivery(TaskMessage message, String queue) implements Delivery {

		@Override
		public boolean redelivered() {
			return false;
		}

		@Override
		public int deliveryCount() {
			return 1;
		}

		@Override
		public void ack() {
		}

		@Override
		public void requeue() {
		}

		@Override
		public void deadLetter(String reason) {
			throw new IllegalStateException("Task " + this.message.id() + " was refused: " + reason);
		}

	}

}
