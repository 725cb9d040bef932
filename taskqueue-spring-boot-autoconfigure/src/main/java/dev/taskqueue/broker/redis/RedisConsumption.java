package dev.taskqueue.broker.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisListCommands.Direction;

import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeliveryHandler;
import dev.taskqueue.broker.GuardedDeliveryHandler;
import dev.taskqueue.broker.PrefetchWindow;
import dev.taskqueue.broker.redis.PopOrder.Popped;
import dev.taskqueue.broker.redis.RedisChannel.IndexedItem;

/**
 * One consumer: a thread that takes messages while prefetch slots are free and hands them to
 * the handler. It pops and records them in batches with one script call
 * ({@link KombuScripts#POP}), which moves them into {@code unacked} atomically. When the lists
 * are empty it waits, on a dedicated connection, without taking anything: a
 * {@code BLMOVE list list RIGHT RIGHT} on the first list (a blocking peek, which leaves the
 * list as it was) for up to 100 ms, then the script pops whatever arrived on any list. A
 * consumer killed while it waits (SIGKILL) therefore takes no message with it, whereas a
 * {@code BRPOP} answered to a connection whose process just died loses the message it pops
 * (kombu has that window). On a Redis without {@code BLMOVE} (before 6.2) it waits in
 * {@code BRPOP} (1 s) as kombu does, and says so once. When Redis is unreachable it logs once,
 * backs off from 100 ms up to 5 s ({@link Outage}), and carries on when Redis is back.
 */
final class RedisConsumption implements Consumption {

	private static final Log logger = LogFactory.getLog(RedisConsumption.class);

	/** The most messages popped by one script call. */
	static final int MAX_BATCH = 256;

	private static final int BRPOP_TIMEOUT_SECONDS = 1;

	/** How long a blocking peek waits on the first list before the script polls every list. */
	static final double PEEK_TIMEOUT_SECONDS = 0.1;

	private static final AtomicBoolean peekUnsupportedLogged = new AtomicBoolean();

	private static final long SLOT_WAIT_MILLIS = 100;

	private final RedisChannel channel;

	private final ConsumerSettings settings;

	private final DeliveryHandler handler;

	private final Runnable stopped;

	private final PopOrder order;

	private final PrefetchWindow window;

	private final Set<RedisDelivery> outstanding = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final CountDownLatch closed = new CountDownLatch(1);

	private final Thread thread;

	private @Nullable RedisConnection blocking;

	private @Nullable IndexedItem pending;

	private boolean bound;

	private boolean backlog = true;

	private boolean peek = true;

	private final Outage outage;

	private volatile @Nullable String failure;

	RedisConsumption(RedisChannel channel, ConsumerSettings settings, DeliveryHandler handler, Runnable stopped) {
		this.channel = channel;
		this.settings = settings;
		this.handler = GuardedDeliveryHandler.of(handler);
		this.stopped = stopped;
		this.order = new PopOrder(channel.keys(), settings.queues());
		this.window = new PrefetchWindow(settings.prefetch());
		this.thread = new Thread(this::run, "taskqueue-redis-consumer-" + String.join(",", settings.queues()));
		this.thread.setDaemon(true);
		this.outage = new Outage(logger, channel.connector().url() + " (consuming " + settings.queues() + ")");
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Return the deliveries handed out and not yet settled.
	 * @return the outstanding deliveries
	 */
	List<RedisDelivery> outstanding() {
		return List.copyOf(this.outstanding);
	}

	private void run() {
		try {
			while (this.running.get()) {
				int free = acquireSlots();
				if (free == 0) {
					continue;
				}
				List<Popped> batch;
				try {
					batch = fetch(free);
				}
				catch (RuntimeException | Error ex) {
					this.window.release(free);
					closeBlocking();
					if (!this.outage.failed(ex, this.closed)) {
						this.running.set(false);
					}
					continue;
				}
				this.outage.succeeded();
				this.window.release(free - batch.size());
				dispatch(batch);
			}
		}
		catch (Throwable ex) {
			this.failure = "The consumer of " + this.settings.queues() + " stopped: " + ex;
			logger.error(this.failure, ex);
		}
		finally {
			giveBackPending();
			closeBlocking();
			this.stopped.run();
		}
	}

	private int acquireSlots() {
		try {
			if (!this.window.tryAcquire(SLOT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
				return 0;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running.set(false);
			return 0;
		}
		return 1 + this.window.takeFree(MAX_BATCH - 1);
	}

	private List<Popped> fetch(int free) {
		if (!this.bound) {
			this.channel.bind(this.settings.queues());
			this.bound = true;
		}
		if (this.pending == null && this.backlog) {
			List<Popped> batch = this.channel.pop(this.order, free, null);
			this.backlog = batch.size() == free;
			if (!batch.isEmpty()) {
				return batch;
			}
		}
		if (this.pending == null && this.peek) {
			if (!awaitMessage()) {
				return List.of();
			}
			List<Popped> batch = this.channel.pop(this.order, free, null);
			this.backlog = batch.size() == free;
			return batch;
		}
		if (this.pending == null) {
			List<byte[]> item = blockingConnection().listCommands().bRPop(BRPOP_TIMEOUT_SECONDS, this.order.listKeys());
			if (item == null || item.size() < 2) {
				return List.of();
			}
			this.pending = new IndexedItem(Math.max(0, this.order.indexOf(item.get(0))), item.get(1));
		}
		List<Popped> batch = this.channel.pop(this.order, free, this.pending);
		this.pending = null;
		this.backlog = batch.size() == free;
		return batch;
	}

	/**
	 * Wait until a message may be there, taking none: a blocking peek on the first list.
	 * @return whether to pop now; {@code false} when Redis lacks {@code BLMOVE}, and the
	 * consumer waits in {@code BRPOP} from then on
	 */
	private boolean awaitMessage() {
		byte[] first = this.order.listKeys()[0];
		try {
			// whether it saw a message or not, the pop script then polls every list (each queue
			// has a list per priority step, and the peek watches only the first)
			blockingConnection().listCommands()
				.bLMove(first, first, Direction.RIGHT, Direction.RIGHT, PEEK_TIMEOUT_SECONDS);
			return true;
		}
		catch (RuntimeException ex) {
			if (!unknownCommand(ex)) {
				throw ex;
			}
			this.peek = false;
			if (peekUnsupportedLogged.compareAndSet(false, true)) {
				logger.warn("Redis broker " + this.channel.connector().url() + " does not know BLMOVE (Redis 6.2 and "
						+ "later do): idle consumers wait in BRPOP as kombu's do, so a worker killed while it waits "
						+ "can take the next message with it");
			}
			return false;
		}
	}

	// "ERR unknown command 'BLMOVE'" anywhere in the causes
	private static boolean unknownCommand(Throwable ex) {
		return RedisConnector.causedBy(ex,
				(cause) -> cause.getMessage() != null && cause.getMessage().contains("unknown command"));
	}

	private void dispatch(List<Popped> batch) {
		for (Popped popped : batch) {
			RedisDelivery delivery = new RedisDelivery(this.channel, popped, this.window.slot(), this::settled);
			this.outstanding.add(delivery);
			this.handler.onDelivery(delivery);
		}
		this.order.rotate(batch);
	}

	private void settled(RedisDelivery delivery) {
		if (this.outstanding.remove(delivery)) {
			delivery.slot().free();
		}
	}

	private RedisConnection blockingConnection() {
		RedisConnection connection = this.blocking;
		if (connection == null) {
			connection = this.channel.connector().blockingConnection();
			this.blocking = connection;
		}
		return connection;
	}

	private void closeBlocking() {
		RedisConnection connection = this.blocking;
		this.blocking = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the blocking Redis connection", ex);
			}
		}
	}

	/** A message taken with BRPOP but not recorded (Redis went away): put it back in front. */
	private void giveBackPending() {
		IndexedItem item = this.pending;
		this.pending = null;
		if (item == null) {
			return;
		}
		try {
			this.channel.connector()
				.await(this.channel.connector().commands().rpush(this.order.listKeys()[item.index()], item.envelope()),
						"give back a message");
		}
		catch (RuntimeException ex) {
			logger.error("Lost a message taken from Redis broker " + this.channel.connector().url()
					+ " that could not be recorded nor given back: " + RedisKeys.string(item.envelope()), ex);
		}
	}

	@Override
	public @Nullable String failure() {
		return this.failure;
	}

	@Override
	public void close() {
		if (this.running.compareAndSet(true, false)) {
			this.closed.countDown();
			if (Thread.currentThread() != this.thread) {
				try {
					this.thread.join(TimeUnit.SECONDS.toMillis(BRPOP_TIMEOUT_SECONDS + 2));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

}
