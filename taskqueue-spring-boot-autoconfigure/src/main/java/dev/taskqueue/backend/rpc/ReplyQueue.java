package dev.taskqueue.backend.rpc;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.util.StringUtils;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * The reply queue of a client of {@link RpcResultBackend}: named by a random UUID (as
 * Celery's {@code oid}), declared and consumed from {@link #start()} on, and deleted by
 * RabbitMQ (being auto-delete) once {@link #close()} stopped consuming it. Each reply is
 * decoded and handed to the {@link ReplyStates} under its {@code correlation_id}, or under
 * the {@code task_id} of its body when it has none (as Celery matches them).
 */
final class ReplyQueue {

	private static final Log logger = LogFactory.getLog(ReplyQueue.class);

	private final Queue queue;

	private final ConnectionFactory connectionFactory;

	private final RabbitAdmin admin;

	private final ResultMetaCodec codec;

	private final ReplyStates states;

	private final String url;

	private final Lock lock = new ReentrantLock();

	private volatile @Nullable ReplyQueueListenerContainer container;

	private volatile boolean closed;

	ReplyQueue(ConnectionFactory connectionFactory, RabbitAdmin admin, Duration expires, ResultMetaCodec codec,
			ReplyStates states, String url) {
		this.queue = declaration(UUID.randomUUID().toString(), expires);
		this.connectionFactory = connectionFactory;
		this.admin = admin;
		this.codec = codec;
		this.states = states;
		this.url = url;
	}

	/**
	 * Return the queue as Celery 5.2 to 5.6 declare it: non-durable, not exclusive,
	 * auto-delete, and {@code x-expires} in milliseconds (a 32-bit integer when it fits, as
	 * py-amqp sends it), none when {@code expires} is zero.
	 * @param name the queue name
	 * @param expires how long the queue may stay unused, or zero for no expiry
	 * @return the queue declaration
	 */
	static Queue declaration(String name, Duration expires) {
		Map<String, Object> arguments = new HashMap<>();
		if (!expires.isZero()) {
			long millis = Math.max(1, expires.toMillis());
			arguments.put("x-expires", (millis <= Integer.MAX_VALUE) ? (Object) (int) millis : (Object) millis);
		}
		return new Queue(name, false, false, true, arguments);
	}

	String name() {
		return this.queue.getName();
	}

	/**
	 * Declare the queue and start consuming it, unless already done. When the broker cannot
	 * be reached, the consumer declares the queue once it connects.
	 * @throws ResultBackendException when the broker refuses the declaration, or once closed
	 */
	void start() {
		if (this.container != null && !this.closed) {
			return;
		}
		this.lock.lock();
		try {
			if (this.closed) {
				throw new ResultBackendException("The rpc result backend " + this.url + " is closed");
			}
			if (this.container != null) {
				return;
			}
			try {
				declare();
			}
			catch (AmqpConnectException ex) {
				logger.warn("Cannot declare the reply queue " + name() + " on " + this.url
						+ " yet, it is declared when the broker can be reached: " + ex.getMessage());
			}
			catch (AmqpException ex) {
				throw new ResultBackendException(
						"Cannot declare the reply queue " + name() + " on " + this.url + ": " + ex.getMessage(), ex);
			}
			ReplyQueueListenerContainer container = new ReplyQueueListenerContainer(this.connectionFactory, name(),
					this::declare, this::onReply);
			container.afterPropertiesSet();
			container.start();
			this.container = container;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void declare() {
		this.admin.declareQueue(this.queue);
	}

	private void onReply(Message message) {
		ResultMeta meta;
		try {
			meta = this.codec.decode(message.getBody(), message.getMessageProperties().getContentType());
		}
		catch (RuntimeException ex) {
			logger.warn("Skipping a message on reply queue " + name()
					+ " that is not a task meta in JSON or msgpack (is result_serializer json or msgpack?): "
					+ ex.getMessage());
			return;
		}
		String correlationId = message.getMessageProperties().getCorrelationId();
		this.states.received(StringUtils.hasLength(correlationId) ? correlationId : meta.taskId(), meta);
	}

	/** Stop consuming; starting fails from now on. */
	void close() {
		ReplyQueueListenerContainer container;
		this.lock.lock();
		try {
			this.closed = true;
			container = this.container;
		}
		finally {
			this.lock.unlock();
		}
		if (container != null) {
			container.destroy();
		}
	}

}
