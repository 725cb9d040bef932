package dev.taskqueue.core;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.MessageEncodingException;
import dev.taskqueue.protocol.NodeNames;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.NoSuchRouteException;
import dev.taskqueue.routing.TaskRouter;

/**
 * The default {@link TaskOperations}: routes, builds and encodes a Celery v2 message, checks
 * its size and publishes it, at once or after the current transaction commits. A task sent
 * from inside a running task gets that task as parent. Revokes are kept in the
 * {@link RevokedTaskStore} the workers follow ({@link #setRevokedTaskStore}). Thread-safe.
 */
public class TaskTemplate implements TaskOperations {

	private static final boolean transactionsPresent = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			TaskTemplate.class.getClassLoader());

	private final Broker broker;

	private final ResultBackend backend;

	private final TaskRouter router;

	private final MessageCodec codec;

	private final JsonMapper mapper;

	private final long maxPayloadSize;

	private final String origin;

	private final String replyTo;

	private final Clock clock;

	private final TaskRequest.RequestSender sender = new Sender();

	private final TaskRevoker revoker;

	private final @Nullable AfterCommitPublisher afterCommit = transactionsPresent ? new AfterCommitPublisher()
			: null;

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
		this.broker = broker;
		this.backend = backend;
		this.router = router;
		this.codec = codec;
		this.mapper = mapper;
		this.maxPayloadSize = maxPayloadSize.toBytes();
		this.origin = NodeNames.client();
		String backendReplyTo = backend.replyTo();
		this.replyTo = (backendReplyTo != null) ? backendReplyTo : UUID.randomUUID().toString();
		this.revoker = new TaskRevoker(backend, this.replyTo);
		this.clock = clock;
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

	@Override
	public AsyncResult<Object> send(Signature signature) {
		throw new UnsupportedOperationException("TODO canvas");
	}

	@Override
	public GroupResult group(java.util.List<Signature> members) {
		throw new UnsupportedOperationException("TODO canvas");
	}

	@Override
	public GroupResult groupResult(String groupId) {
		throw new UnsupportedOperationException("TODO canvas");
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
		return (this.afterCommit != null) ? this.afterCommit.failures() : 0;
	}

	private <T> AsyncResult<T> send(TaskRequest request, Type resultType, boolean afterCommit) {
		Destination destination = route(request);
		TaskMessage message = buildMessage(request);
		EncodedMessage encoded = encode(message);
		if (encoded.size() > this.maxPayloadSize) {
			throw new TaskSendException("Task '" + request.name() + "' has a payload of " + encoded.size()
					+ " bytes, over the limit of " + this.maxPayloadSize
					+ " bytes (max payload size); pass an id instead of the data");
		}
		OutboundMessage outbound = new OutboundMessage(encoded, destination);
		boolean deferred = (afterCommit || this.sendAfterCommit) && this.afterCommit != null
				&& this.afterCommit.deferToCommit(message.id(), request.name(), () -> publish(request, outbound));
		if (!deferred) {
			publish(request, outbound);
		}
		return result(message.id(), resultType);
	}

	private void publish(TaskRequest request, OutboundMessage outbound) {
		try {
			this.broker.publish(outbound);
		}
		catch (BrokerException | UnsupportedOperationException ex) {
			throw new TaskSendException("Task '" + request.name() + "' was not sent: " + ex.getMessage(), ex);
		}
	}

	private Destination route(TaskRequest request) {
		try {
			return this.router.route(request.name(), request.queue());
		}
		catch (NoSuchRouteException ex) {
			throw new TaskSendException(ex.getMessage(), ex);
		}
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

	private EncodedMessage encode(TaskMessage message) {
		try {
			return this.codec.encode(message);
		}
		catch (MessageEncodingException ex) {
			throw new TaskSendException("Task '" + message.task() + "' has arguments that cannot be serialized: "
					+ ex.getMessage(), ex);
		}
	}

	/** Sends the requests of this template, without making the template a sender itself. */
	private final class Sender implements TaskRequest.RequestSender {

		@Override
		public <T> AsyncResult<T> send(TaskRequest request, Type resultType, boolean afterCommit) {
			return TaskTemplate.this.send(request, resultType, afterCommit);
		}

	}

}
