package dev.taskqueue.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.observation.DefaultTaskPublishObservationConvention;
import dev.taskqueue.observation.TaskObservationDocumentation;
import dev.taskqueue.observation.TaskPublishContext;
import dev.taskqueue.observation.TaskPublishObservationConvention;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.MessageEncodingException;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.NoSuchRouteException;
import dev.taskqueue.routing.TaskRouter;

/**
 * The template's way from a built task message to the broker: route it, encode it, check its
 * size and publish it, at once or once the current transaction commits. Every failure is a
 * {@link TaskSendException} naming the task.
 */
final class TaskDispatcher {

	private static final Log logger = LogFactory.getLog(TaskDispatcher.class);

	private static final boolean transactionsPresent = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			TaskDispatcher.class.getClassLoader());

	private static final CompletableFuture<Void> PUBLISHED = CompletableFuture.completedFuture(null);

	private final Broker broker;

	private final TaskRouter router;

	private final MessageCodec codec;

	private final long maxPayloadSize;

	private volatile List<TaskPublishListener> listeners = List.of();

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile @Nullable TaskPublishObservationConvention observationConvention;

	private final @Nullable AfterCommitPublisher afterCommit = transactionsPresent ? new AfterCommitPublisher()
			: null;

	TaskDispatcher(Broker broker, TaskRouter router, MessageCodec codec, long maxPayloadSize) {
		this.broker = broker;
		this.router = router;
		this.codec = codec;
		this.maxPayloadSize = maxPayloadSize;
	}

	/**
	 * Send a message and return once the broker took it.
	 * @param message the message
	 * @param queue the queue asked for, or {@code null} to route by task name
	 * @param afterCommit whether to wait for the current transaction to commit
	 * @throws TaskSendException when the message cannot be routed, encoded or published, or
	 * is too large
	 */
	void dispatch(TaskMessage message, @Nullable String queue, boolean afterCommit) {
		dispatch(message, queue, afterCommit, false);
	}

	/**
	 * Send a message without waiting for the broker to take it.
	 * @param message the message
	 * @param queue the queue asked for, or {@code null} to route by task name
	 * @param afterCommit whether to wait for the current transaction to commit
	 * @return completed once the broker took the message, or exceptionally with a
	 * {@link TaskSendException}
	 */
	CompletableFuture<Void> dispatchAsync(TaskMessage message, @Nullable String queue, boolean afterCommit) {
		try {
			return dispatch(message, queue, afterCommit, true);
		}
		catch (TaskSendException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletableFuture<Void> dispatch(TaskMessage message, @Nullable String queue, boolean afterCommit,
			boolean async) {
		Destination destination = route(message.task(), queue);
		if (this.observationRegistry.isNoop()) {
			return dispatch(message, destination, afterCommit, async);
		}
		TaskPublishContext context = new TaskPublishContext(message, destination);
		Observation observation = TaskObservationDocumentation.PUBLISH
			.observation(this.observationConvention, DefaultTaskPublishObservationConvention.INSTANCE, () -> context,
					this.observationRegistry)
			.start();
		CompletableFuture<Void> sent;
		try {
			sent = dispatch(message.withExtraHeaders(context.getPropagatedHeaders()), destination, afterCommit, async);
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		return sent.whenComplete((ignored, ex) -> {
			if (ex != null) {
				observation.error(ex);
			}
			observation.stop();
		});
	}

	private CompletableFuture<Void> dispatch(TaskMessage message, Destination destination, boolean afterCommit,
			boolean async) {
		EncodedMessage encoded = encode(message);
		if (encoded.size() > this.maxPayloadSize) {
			throw new TaskSendException("Task '" + message.task() + "' has a payload of " + encoded.size()
					+ " bytes, over the limit of " + this.maxPayloadSize
					+ " bytes (max payload size); pass an id instead of the data");
		}
		OutboundMessage outbound = new OutboundMessage(encoded, destination);
		if (afterCommit && this.afterCommit != null) {
			CompletableFuture<Void> deferred = this.afterCommit.deferToCommit(message.id(), message.task(),
					() -> publish(message, outbound, async));
			if (deferred != null) {
				return deferred;
			}
		}
		return publish(message, outbound, async);
	}

	long afterCommitFailures() {
		return (this.afterCommit != null) ? this.afterCommit.failures() : 0;
	}

	/**
	 * Set the registry of the {@code taskqueue.publish} observations, and their convention.
	 * @param registry the registry
	 * @param convention the convention, or {@code null} for the default
	 */
	void setObservations(ObservationRegistry registry, @Nullable TaskPublishObservationConvention convention) {
		this.observationRegistry = registry;
		this.observationConvention = convention;
	}

	/**
	 * Set the listeners told of each message published.
	 * @param listeners the listeners
	 */
	void setListeners(List<TaskPublishListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	private CompletableFuture<Void> publish(TaskMessage message, OutboundMessage outbound, boolean async) {
		long start = System.nanoTime();
		if (async) {
			CompletableFuture<Void> published;
			try {
				published = this.broker.publishAsync(outbound);
			}
			catch (BrokerException | UnsupportedOperationException ex) {
				published = CompletableFuture.failedFuture(ex);
			}
			CompletableFuture<Void> sent = new CompletableFuture<>();
			published.whenComplete((ignored, ex) -> {
				if (ex != null) {
					sent.completeExceptionally(
							failed(message, (ex instanceof CompletionException) ? ex.getCause() : ex, start));
				}
				else {
					published(message, outbound, start);
					sent.complete(null);
				}
			});
			return sent;
		}
		try {
			this.broker.publish(outbound);
		}
		catch (BrokerException | UnsupportedOperationException ex) {
			throw failed(message, ex, start);
		}
		published(message, outbound, start);
		return PUBLISHED;
	}

	private TaskSendException failed(TaskMessage message, Throwable cause, long start) {
		TaskSendException failure = new TaskSendException(
				"Task '" + message.task() + "' was not sent: " + cause.getMessage(), cause);
		tell(message, (listener) -> listener.publishFailed(message, failure, elapsedSince(start)));
		return failure;
	}

	private void published(TaskMessage message, OutboundMessage outbound, long start) {
		if (!this.listeners.isEmpty()) {
			Duration elapsed = elapsedSince(start);
			tell(message, (listener) -> listener.published(message, outbound.destination(), elapsed));
		}
	}

	private static Duration elapsedSince(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private void tell(TaskMessage message, Consumer<TaskPublishListener> call) {
		for (TaskPublishListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException | LinkageError | AssertionError ex) {
				// the task was sent (or its failure is thrown): a listener must not change that
				logger.warn("Publish listener " + listener.getClass().getName() + " failed on task " + message.id(), ex);
			}
		}
	}

	private Destination route(String task, @Nullable String queue) {
		try {
			return this.router.route(task, queue);
		}
		catch (NoSuchRouteException ex) {
			throw new TaskSendException(ex.getMessage(), ex);
		}
	}

	private EncodedMessage encode(TaskMessage message) {
		try {
			return this.codec.encode(message);
		}
		catch (MessageEncodingException ex) {
			throw new TaskSendException("Task '" + message.task() + "' has arguments that cannot be serialized: "
					+ ex.getMessage(), ex);
		}
	}

}
