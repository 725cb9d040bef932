package dev.taskqueue.control;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.broker.BroadcastMessage;
import dev.taskqueue.broker.BroadcastTransport;
import dev.taskqueue.broker.BroadcastTransport.Subscription;
import dev.taskqueue.protocol.LamportClock;

/**
 * A worker's mailbox (kombu's pidbox {@code Node}): it consumes the queue
 * {@code <node>.celery.pidbox} on the fanout exchange {@code celery.pidbox}, runs the
 * commands addressed to this node and, when the request asks for one, replies
 * {@code {"<node>": <value>}} on {@code reply.celery.pidbox}. An unknown command is answered
 * {@code {"error": "KeyError('<method>')"}}, a failed one {@code {"error": "<repr>"}};
 * {@code shutdown} is never answered. Requests come from the network: malformed ones are
 * logged and ignored. Commands run one at a time on a thread of the node, never on the
 * transport's; when too many wait, new requests are dropped with a warning. Replies always go
 * to this mailbox's reply exchange, whatever exchange a request names in {@code reply_to}
 * (Celery clients always name it), so that a request cannot make the node publish to a task
 * exchange.
 */
public class PidboxNode implements AutoCloseable {

	/** How many requests may wait for the node's thread. */
	static final int BACKLOG = 100;

	private static final Log logger = LogFactory.getLog(PidboxNode.class);

	private final BroadcastTransport transport;

	private final LamportClock clock;

	private final String nodeName;

	private final Mailbox mailbox;

	private final Map<String, ControlCommand> commands;

	private final PidboxCodec codec = new PidboxCodec();

	private final Object lifecycle = new Object();

	private @Nullable ThreadPoolExecutor executor;

	private @Nullable Subscription subscription;

	/**
	 * Create a node on Celery's default control exchange, {@code celery}.
	 * @param transport the transport of the mailbox
	 * @param clock the worker's Lamport clock
	 * @param nodeName the worker's node name, such as {@code celery@host}
	 * @param commands the commands by name, such as {@code ping}
	 */
	public PidboxNode(BroadcastTransport transport, LamportClock clock, String nodeName,
			Map<String, ControlCommand> commands) {
		this(transport, clock, nodeName, Mailbox.DEFAULT_CONTROL_EXCHANGE, commands);
	}

	/**
	 * Create a node.
	 * @param transport the transport of the mailbox
	 * @param clock the worker's Lamport clock
	 * @param nodeName the worker's node name, such as {@code celery@host}
	 * @param controlExchange the name of Celery's {@code control_exchange}, {@code celery} by default
	 * @param commands the commands by name, such as {@code ping}
	 */
	public PidboxNode(BroadcastTransport transport, LamportClock clock, String nodeName, String controlExchange,
			Map<String, ControlCommand> commands) {
		Assert.notNull(transport, "'transport' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.hasText(nodeName, "'nodeName' must not be empty");
		Assert.notNull(commands, "'commands' must not be null");
		this.transport = transport;
		this.clock = clock;
		this.nodeName = nodeName;
		this.mailbox = new Mailbox(controlExchange);
		this.commands = Map.copyOf(commands);
	}

	/**
	 * Start consuming the node's mailbox. Does nothing when started already.
	 * @throws dev.taskqueue.broker.BrokerException when the broker cannot be reached
	 */
	public void start() {
		synchronized (this.lifecycle) {
			if (this.subscription != null) {
				return;
			}
			ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
					new ArrayBlockingQueue<>(BACKLOG), (task) -> {
						Thread thread = new Thread(task, "taskqueue-pidbox");
						thread.setDaemon(true);
						return thread;
					});
			try {
				this.subscription = this.transport.subscribe(this.mailbox.requests(),
						this.mailbox.nodeQueue(this.nodeName), (routingKey, message) -> onMessage(message));
				this.executor = executor;
			}
			catch (RuntimeException ex) {
				executor.shutdownNow();
				throw ex;
			}
		}
	}

	/**
	 * Whether the node consumes its mailbox.
	 * @return whether started and not closed
	 */
	public boolean isRunning() {
		synchronized (this.lifecycle) {
			return this.subscription != null;
		}
	}

	/**
	 * Return the node's name.
	 * @return the node name
	 */
	public String getNodeName() {
		return this.nodeName;
	}

	/**
	 * Stop consuming the mailbox; the command running, if any, finishes, and those waiting are
	 * dropped.
	 */
	@Override
	public void close() {
		Subscription subscription;
		ThreadPoolExecutor executor;
		synchronized (this.lifecycle) {
			subscription = this.subscription;
			executor = this.executor;
			this.subscription = null;
			this.executor = null;
		}
		if (subscription != null) {
			try {
				subscription.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Closing the mailbox of " + this.nodeName + " failed: " + ex.getMessage());
			}
		}
		if (executor != null) {
			executor.shutdown();
			executor.getQueue().clear();
		}
	}

	// On the transport's thread: read, tick the clock as a Celery worker does, hand over
	private void onMessage(BroadcastMessage message) {
		try {
			PidboxRequest request = this.codec.decodeRequest(message);
			// Celery forwards on every control message, then adjusts with the sender's clock
			this.clock.forward();
			Clocks.adjust(this.clock, request.clock());
			if (NodeSelector.addresses(this.nodeName, request.destination(), request.pattern(), request.matcher())) {
				submit(request);
			}
		}
		catch (PidboxMessageException ex) {
			logger.warn("Remote-control message ignored by " + this.nodeName + ": " + ex.getMessage());
		}
		catch (RuntimeException | Error ex) {
			logger.error("Remote-control message ignored by " + this.nodeName, ex);
		}
	}

	private void submit(PidboxRequest request) {
		ThreadPoolExecutor executor;
		synchronized (this.lifecycle) {
			executor = this.executor;
		}
		if (executor == null) {
			return;
		}
		try {
			executor.execute(() -> dispatch(request));
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Remote-control command '" + request.method() + "' dropped by " + this.nodeName + ": "
					+ BACKLOG + " commands wait already");
		}
	}

	// On the node's thread
	private void dispatch(PidboxRequest request) {
		try {
			Object value = run(request);
			if (request.replyTo() != null && !"shutdown".equals(request.method())) {
				reply(request, value);
			}
		}
		catch (RuntimeException | Error ex) {
			logger.error("Remote-control command '" + request.method() + "' failed on " + this.nodeName, ex);
		}
	}

	private @Nullable Object run(PidboxRequest request) {
		ControlCommand command = this.commands.get(request.method());
		if (command == null) {
			logger.warn("No such control command: '" + request.method() + "'");
			return error(PythonErrors.repr("KeyError", request.method()));
		}
		try {
			return command.handle(request.arguments());
		}
		catch (ControlCommandException ex) {
			return error(PythonErrors.repr(ex.getPythonType(), ex.getMessage()));
		}
		catch (RuntimeException ex) {
			logger.error("Remote-control command '" + request.method() + "' failed on " + this.nodeName, ex);
			return error(PythonErrors.repr(ex.getClass().getSimpleName(), ex.getMessage()));
		}
	}

	private void reply(PidboxRequest request, @Nullable Object value) {
		PidboxRequest.ReplyTo replyTo = request.replyTo();
		if (replyTo == null) {
			return;
		}
		BroadcastMessage reply;
		try {
			reply = this.codec.encodeReply(this.nodeName, value, request.ticket(), this.clock.forward());
		}
		catch (RuntimeException ex) {
			logger.error("Reply to '" + request.method() + "' cannot be written as JSON", ex);
			reply = this.codec.encodeReply(this.nodeName,
					error(PythonErrors.repr("TypeError", "reply is not JSON serializable")), request.ticket(),
					this.clock.forward());
		}
		try {
			this.transport.publish(this.mailbox.replies(), replyTo.routingKey(), reply);
		}
		catch (RuntimeException ex) {
			logger.warn("Reply to '" + request.method() + "' not sent by " + this.nodeName + ": " + ex.getMessage());
		}
	}

	private static Map<String, Object> error(String repr) {
		return Map.of("error", repr);
	}

}
