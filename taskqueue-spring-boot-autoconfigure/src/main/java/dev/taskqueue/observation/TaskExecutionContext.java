package dev.taskqueue.observation;

import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.TaskMessage;

/**
 * The context of running one task on a worker. Propagators read the trace from the task
 * message's custom headers ({@code traceparent}, {@code tracestate}).
 */
public class TaskExecutionContext extends ReceiverContext<TaskMessage> {

	private final TaskMessage message;

	private final String queue;

	private @Nullable String state;

	/**
	 * Create a context.
	 * @param message the task's message
	 * @param queue the queue it came from
	 */
	public TaskExecutionContext(TaskMessage message, String queue) {
		super((carrier, key) -> (carrier.headers().extra().get(key) instanceof String value) ? value : null);
		this.message = message;
		this.queue = queue;
		setCarrier(message);
		setRemoteServiceName("celery");
	}

	/**
	 * Return the task's message.
	 * @return the message
	 */
	public TaskMessage getMessage() {
		return this.message;
	}

	/**
	 * Return the queue the message came from.
	 * @return the queue name
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
	 * Return the state the task ended in: Celery's {@code SUCCESS}, {@code FAILURE},
	 * {@code RETRY} or {@code REVOKED}, or {@code REQUEUED} when its message went back to the
	 * broker.
	 * @return the state, or {@code null} while it runs
	 */
	public @Nullable String getState() {
		return this.state;
	}

	/**
	 * Set the state the task ended in.
	 * @param state the state
	 */
	public void setState(String state) {
		this.state = state;
	}

}
