package dev.taskqueue.core;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.canvas.AppliedCanvas;
import dev.taskqueue.canvas.CanvasCall;
import dev.taskqueue.canvas.CanvasException;
import dev.taskqueue.canvas.CanvasPublisher;
import dev.taskqueue.canvas.CanvasSignature;
import dev.taskqueue.observation.TaskPublishObservationConvention;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.NodeNames;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.TaskRouter;

/**
 * The default {@link TaskOperations}: routes, builds and encodes a Celery v2 message, checks
 * its size and publishes it, at once or after the current transaction commits. A task sent
 * from inside a running task gets that task as parent. Revokes are kept in the
 * {@link RevokedTaskStore} the workers follow ({@link #setRevokedTaskStore}). Thread-safe.
 */
public class TaskTemplate implements TaskOperations {

	private final ResultBackend backend;

	private final TaskDispatcher dispatcher;

	private final CanvasPublisher canvas;

	private final JsonMapper mapper;

	private final String origin;

	private final String replyTo;

	private final Clock clock;

	private final TaskRequest.RequestSender sender = new Sender();

	private final TaskRevoker revoker;

	private volatile boolean sendAfterCommit;

	private volatile @Nullable RevokedTaskStore revokedTaskStore;

	/**
	 * Create a template.
	 * @param broker the broker tasks are published to
	 * @param backend the backend results are read from
	 * @param router picks each task's destination
	 * @param codec encodes messages
	 * @param mapper converts results to the requested types
	 * @param maxPayloadSize the largest encoded body accepted
	 */
	public TaskTemplate(Broker broker, ResultBackend backend, TaskRouter router, MessageCodec codec, JsonMapper mapper,
			DataSize maxPayloadSize) {
		this(broker, backend, router, codec, mapper, maxPayloadSize, Clock.systemUTC());
	}

	TaskTemplate(Broker broker, ResultBackend backend, TaskRouter router, MessageCodec codec, JsonMapper mapper,
			DataSize maxPayloadSize, Clock clock) {
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		this.backend = backend;
		this.dispatcher = new TaskDispatcher(broker, router, codec, maxPayloadSize.toBytes());
		this.mapper = mapper;
		this.origin = NodeNames.client();
		String backendReplyTo = backend.replyTo();
		this.replyTo = (backendReplyTo != null) ? backendReplyTo : UUID.randomUUID().toString();
		this.revoker = new TaskRevoker(backend, this.replyTo);
		this.clock = clock;
		this.canvas = new CanvasPublisher((message, queue) -> this.dispatcher.dispatch(message, queue,
				this.sendAfterCommit), backend, this.origin, this.replyTo, clock);
	}

	/**
	 * Set the listeners told of each task message this template publishes (Celery's
	 * {@code task-sent} events, publish metrics).
	 * @param listeners the listeners, in order
	 */
	public void setPublishListeners(List<TaskPublishListener> listeners) {
		Assert.notNull(listeners, "'listeners' must not be null");
		this.dispatcher.setListeners(listeners);
	}

	/**
	 * Set the registry of the {@code taskqueue.publish} observation of each task sent, which
	 * with Micrometer Tracing also puts the trace in the message ({@code traceparent}).
	 * @param registry the registry
	 * @param convention the observation's convention, or {@code null} for the default
	 */
	public void setObservationRegistry(ObservationRegistry registry,
			@Nullable TaskPublishObservationConvention convention) {
		Assert.notNull(registry, "'registry' must not be null");
		this.dispatcher.setObservations(registry, convention);
	}

	@Override
	public AsyncResult<Object> send(String name, Object... args) {
		return task(name).args(Arrays.asList(args)).send();
	}

	@Override
	public TaskRequest task(String name) {
		if (name == null || name.isBlank()) {
			throw new TaskSendException("A task name is required");
		}
		return new TaskRequest(name, this.sender);
	}

	/**
	 * Send a task, chain or chord: every task is given its id first, then the first tasks are
	 * sent (see {@link CanvasPublisher}). From inside a running task, that task is the parent.
	 */
	@Override
	public AsyncResult<Object> send(Signature signature) {
		Assert.notNull(signature, "'signature' must not be null");
		if (signature.wire().endsInGroup()) {
			throw new TaskSendException("'" + signature.task() + "' ends in a group, whose result is a GroupResult: "
					+ "send the group with group(...), or end the chain with a task (a group followed by a task is "
					+ "a chord)");
		}
		return result(applyCanvas(signature.wire()).id(), Object.class);
	}

	@Override
	public GroupResult group(List<Signature> members) {
		Assert.notNull(members, "'members' must not be null");
		AppliedCanvas applied = applyCanvas(Signature.group(members).wire());
		return BackendGroupResult.of(applied.id(), applied.members(), this.backend, this.mapper, this);
	}

	@Override
	public GroupResult groupResult(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		return BackendGroupResult.restore(groupId, this.backend, this.mapper, this);
	}

	private AppliedCanvas applyCanvas(CanvasSignature signature) {
		TaskContext parent = TaskContext.current();
		CanvasCall call = (parent != null) ? CanvasCall.from(parent.id(), parent.rootId()) : CanvasCall.CLIENT;
		try {
			return this.canvas.apply(signature, call);
		}
		catch (CanvasException ex) {
			throw new TaskSendException(ex.getMessage(), ex);
		}
		catch (ResultBackendException ex) {
			throw new TaskSendException("The chord was not sent: its size could not be stored: " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public AsyncResult<Object> result(String id) {
		return result(id, Object.class);
	}

	@Override
	public <T> AsyncResult<T> result(String id, Class<T> resultType) {
		return result(id, (Type) resultType);
	}

	@Override
	public <T> AsyncResult<T> result(String id, ParameterizedTypeReference<T> resultType) {
		return result(id, resultType.getType());
	}

	private <T> AsyncResult<T> result(String id, Type resultType) {
		Assert.hasText(id, "'id' must not be empty");
		return new BackendAsyncResult<>(id, this.mapper.getTypeFactory().constructType(resultType), this.backend,
				this.mapper, this);
	}

	/**
	 * Store REVOKED unless the task already has a final state, then keep the revoke in the
	 * {@link #setRevokedTaskStore store} the workers follow (see {@link TaskRevoker}).
	 * @throws IllegalStateException when no store is set
	 */
	@Override
	public void revoke(String id, boolean terminate) {
		this.revoker.revoke(this.revokedTaskStore, id, terminate);
	}

	/**
	 * Set the store of revoked tasks that {@link #revoke} keeps revokes in: the one the
	 * workers follow.
	 * @param revokedTaskStore the store
	 */
	public void setRevokedTaskStore(@Nullable RevokedTaskStore revokedTaskStore) {
		this.revokedTaskStore = revokedTaskStore;
	}

	/**
	 * Set what broadcasts each revoke to workers that do not follow the revoked task store,
	 * such as Python Celery workers (Celery's {@code revoke} remote-control command).
	 * @param broadcaster the broadcaster, or {@code null} for none
	 */
	public void setRevokeBroadcaster(@Nullable RevokeBroadcaster broadcaster) {
		this.revoker.setBroadcaster(broadcaster);
	}

	/**
	 * Whether {@link TaskRequest#send()} waits for the current Spring transaction to commit, as
	 * {@link TaskRequest#sendAfterCommit()} does. Off by default.
	 * @param sendAfterCommit whether to send after commit
	 */
	public void setSendAfterCommit(boolean sendAfterCommit) {
		this.sendAfterCommit = sendAfterCommit;
	}

	/**
	 * How many tasks held back until their transaction committed could not be published then
	 * (each is logged with its id and name).
	 * @return the number of failed publications after commit
	 */
	public long getAfterCommitFailures() {
		return this.dispatcher.afterCommitFailures();
	}

	private <T> AsyncResult<T> send(TaskRequest request, Type resultType, boolean afterCommit) {
		TaskMessage message = buildMessage(request);
		this.dispatcher.dispatch(message, request.queue(), afterCommit || this.sendAfterCommit);
		return result(message.id(), resultType);
	}

	private <T> CompletableFuture<AsyncResult<T>> sendAsync(TaskRequest request, Type resultType) {
		TaskMessage message;
		try {
			message = buildMessage(request);
		}
		catch (TaskSendException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		AsyncResult<T> result = result(message.id(), resultType);
		return this.dispatcher.dispatchAsync(message, request.queue(), this.sendAfterCommit)
			.thenApply((published) -> result);
	}

	private TaskMessage buildMessage(TaskRequest request) {
		Instant now = this.clock.instant();
		TaskMessageBuilder builder = TaskMessageBuilder.task(request.name())
			.args(request.args())
			.kwargs(request.kwargs())
			.eta(request.resolveEta(now))
			.expires(request.resolveExpires(now))
			.priority(request.priority())
			.ignoreResult(request.ignoreResult())
			.timeLimit(request.timeLimits())
			.replyTo(this.replyTo)
			.origin(this.origin);
		if (request.id() != null) {
			builder.id(request.id());
		}
		request.headers().forEach(builder::header);
		TaskContext parent = TaskContext.current();
		if (parent != null) {
			builder.parent(parent.rootId(), parent.id());
		}
		return builder.build(this.clock);
	}

	/** Sends the requests of this template, without making the template a sender itself. */
	private final class Sender implements TaskRequest.RequestSender {

		@Override
		public <T> AsyncResult<T> send(TaskRequest request, Type resultType, boolean afterCommit) {
			return TaskTemplate.this.send(request, resultType, afterCommit);
		}

		@Override
		public <T> CompletableFuture<AsyncResult<T>> sendAsync(TaskRequest request, Type resultType) {
			return TaskTemplate.this.sendAsync(request, resultType);
		}

	}

}
