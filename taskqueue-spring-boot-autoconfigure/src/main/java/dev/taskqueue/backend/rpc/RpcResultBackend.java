package dev.taskqueue.backend.rpc;

import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * Celery's {@code rpc://} result backend on RabbitMQ, compatible both ways with Celery 5.2+
 * workers and clients.
 * <p>
 * <b>Worker side</b>: {@link #store(ResultMeta, String)} publishes every state to the default
 * exchange with the task's {@code reply_to} as routing key, {@code correlation_id} = task id,
 * {@code delivery_mode} 1, the codec's content type and encoding ({@code application/json} and
 * {@code utf-8}, or {@code application/x-msgpack} and {@code binary} with
 * {@code result_serializer} msgpack) and empty headers; the body is
 * {@code {"task_id", "status", "result", "traceback", "children"}}. No publisher confirms, as
 * in Celery. All states go out on one channel, so that they arrive in the order they were
 * stored (see {@link ReplyPublisher}). Without a {@code reply_to} nothing is sent.
 * <p>
 * <b>Client side</b>: {@link #replyTo()} names this client's reply queue (a random UUID, as
 * Celery's {@code oid}). The queue is declared on the first call as Celery 5.2 to 5.6 declare
 * it (non-durable, auto-delete, {@code x-expires} = {@code result_expires}) and consumed with
 * auto-ack from then on. Replies are matched to tasks by {@code correlation_id} (by the body's
 * {@code task_id} when it is missing), read by their content type (JSON or msgpack, whatever
 * this client's own serializer), and the latest state of every task is kept, whether or
 * not anybody waits for it, so {@link #get} reads it later; see {@link ReplyStates} for how
 * that is bounded. Results are not persisted: only this client can read them, and only while
 * it runs. When the connection is lost, RabbitMQ deletes the auto-delete queue; the consumer
 * restarts once the broker is reachable and declares the queue again under the same name (see
 * {@link ReplyQueueListenerContainer}). Replies sent in between are lost, as with Celery.
 * <p>
 * As with Celery's rpc backend, chords and saved groups are not supported
 * ({@link #canvasStore()} is {@code null}): a chord is refused when it is sent, and saving or
 * restoring a group fails.
 */
public class RpcResultBackend implements ResultBackend, DisposableBean {

	/** The most tasks whose latest state a client keeps. */
	static final int MAX_STATES = 100_000;

	private final ResultMetaCodec codec;

	private final ReplyPublisher publisher;

	private final ReplyStates states;

	private final ReplyQueue replyQueue;

	private final String url;

	/**
	 * Create a backend. Nothing is declared or consumed until {@link #replyTo()} is called.
	 * @param connectionFactory the factory of connections to the broker; owned (and closed) by
	 * the caller
	 * @param codec the codec of task metas
	 * @param resultExpires {@code result_expires}: the {@code x-expires} of the reply queue and
	 * how long a received state is kept; zero for ever
	 * @param maskedUrl the backend URL without its password, for messages
	 */
	public RpcResultBackend(ConnectionFactory connectionFactory, ResultMetaCodec codec, Duration resultExpires,
			String maskedUrl) {
		this(connectionFactory, codec, resultExpires, maskedUrl, MAX_STATES, Clock.systemUTC());
	}

	RpcResultBackend(ConnectionFactory connectionFactory, ResultMetaCodec codec, Duration resultExpires,
			String maskedUrl, int maxStates, Clock clock) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(codec, "'codec' must not be null");
		Assert.isTrue(resultExpires != null && !resultExpires.isNegative(), "'resultExpires' must not be negative");
		Assert.hasText(maskedUrl, "'maskedUrl' must not be empty");
		this.codec = codec;
		this.publisher = new ReplyPublisher(connectionFactory, codec.contentType(), codec.contentEncoding());
		this.states = new ReplyStates(resultExpires, maxStates, clock, "taskqueue-rpc-results");
		this.replyQueue = new ReplyQueue(connectionFactory, new RabbitAdmin(connectionFactory), resultExpires, codec,
				this.states, maskedUrl);
		this.url = maskedUrl;
	}

	/** Does nothing: without a reply queue there is nobody to send the state to (as Celery). */
	@Override
	public void store(ResultMeta meta) {
	}

	@Override
	public void store(ResultMeta meta, @Nullable String replyTo) {
		if (!StringUtils.hasLength(replyTo)) {
			return;
		}
		byte[] body = this.codec.encodeRpc(meta);
		try {
			this.publisher.publish(replyTo, meta.taskId(), body);
		}
		catch (AmqpException ex) {
			throw new ResultBackendException("Cannot send the " + meta.status() + " state of task " + meta.taskId()
					+ " to reply queue " + replyTo + " on " + this.url + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Return this client's reply queue, declared (and consumed) from the first call on. When
	 * the broker cannot be reached on that call, the name is returned anyway and the queue is
	 * declared as soon as the consumer connects.
	 * @throws ResultBackendException when the broker refuses the declaration, or after
	 * {@link #destroy()}
	 */
	@Override
	public String replyTo() {
		this.replyQueue.start();
		return this.replyQueue.name();
	}

	/**
	 * Return the latest state this client received for a task, PENDING when none was received
	 * (states sent to other clients' reply queues are not visible here).
	 */
	@Override
	public ResultMeta get(String taskId) {
		ResultMeta latest = this.states.latest(taskId);
		return (latest != null) ? latest : ResultMeta.pending(taskId);
	}

	/** Drop the state received for a task; there is nothing to delete on the broker. */
	@Override
	public void forget(String taskId) {
		this.states.forget(taskId);
	}

	/**
	 * Be told of the states received for a task from now on. Listeners are called on a thread
	 * of this backend, not on the consumer's; a state received before this call is read with
	 * {@link #get}.
	 */
	@Override
	public ResultSubscription subscribe(String taskId, ResultListener listener) {
		return this.states.subscribe(taskId, listener);
	}

	/**
	 * Tell the latest state this client received for the task, if any, then the states it
	 * receives from now on, each once and in the order received; states received before the
	 * latest one are not kept. Listeners are called on a thread of this backend.
	 */
	@Override
	public ResultSubscription follow(String taskId, ResultListener listener) {
		return this.states.follow(taskId, listener);
	}

	/**
	 * None: results travel to the sender's reply queue only, so no worker can see that the other
	 * members of a chord finished, nor can another client read a saved group (Celery's rpc
	 * backend has no chords and refuses {@code save_group} too).
	 */
	@Override
	public @Nullable CanvasStore canvasStore() {
		return null;
	}

	@Override
	public String url() {
		return this.url;
	}

	/**
	 * Stop consuming the reply queue (which RabbitMQ then deletes, being auto-delete) and end
	 * all subscriptions. The connection factory is left to its owner.
	 */
	@Override
	public void destroy() {
		this.publisher.close();
		this.replyQueue.close();
		this.states.close();
	}

	@Override
	public String toString() {
		return "RpcResultBackend[" + this.url + ", replyTo=" + this.replyQueue.name() + "]";
	}

}
