package dev.taskqueue.test;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.core.TaskSendException;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.worker.InlineTaskRunner;

/**
 * A {@link Broker} that runs each published task at once, in the publishing thread (Celery's
 * {@code task_always_eager}). Unlike Celery's eager mode, the message takes the real way: it
 * is decoded from the bytes the codec wrote, and the worker's argument binding, invocation
 * and result recording run it, so an argument that would not survive a real broker fails
 * here too. By the time the send returns, the task's state is stored in the result backend.
 * <p>
 * Only tasks registered in this application can run; publishing any other task throws
 * {@link TaskSendException}, as does a message the worker refuses (arguments that do not bind
 * to the method's parameters). A task that runs and throws ends in FAILURE, as on a worker.
 * ETAs and countdowns are not waited for. Nothing is ever delivered to consumers.
 */
public class EagerBroker extends PublishOnlyBroker {

	private final WireRoundTrip wire;

	private final Supplier<@Nullable InlineTaskRunner> runner;

	/**
	 * Create a broker.
	 * @param codec decodes the published messages
	 * @param runner supplies the runner of this application's tasks, or {@code null} when it has
	 * no worker; asked on each publish, so it may be looked up lazily
	 */
	public EagerBroker(MessageCodec codec, Supplier<@Nullable InlineTaskRunner> runner) {
		super("eager://");
		this.wire = new WireRoundTrip(codec);
		this.runner = runner;
	}

	@Override
	public void publish(OutboundMessage outbound) {
		String taskName = String.valueOf(outbound.message().headers().get("task"));
		InlineTaskRunner runner = this.runner.get();
		if (runner == null || !runner.canRun(taskName)) {
			throw new TaskSendException("Task '" + taskName + "' cannot run eagerly: it is not a @CeleryTask of "
					+ "this application" + ((runner != null) ? "" : ", which runs no worker"));
		}
		TaskMessage message = this.wire.decode(outbound.message(), taskName);
		EagerDelivery delivery = new EagerDelivery(message, queueOf(outbound.destination()));
		runner.run(delivery);
		String refusal = delivery.refusal();
		if (refusal != null) {
			throw new TaskSendException(
					"Task '" + taskName + "' [" + message.id() + "] was refused by the worker: " + refusal);
		}
	}

	private static String queueOf(Destination destination) {
		return (destination.queue() != null) ? destination.queue().name() : destination.routingKey();
	}

}
