package dev.taskqueue.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * A worker's own events, as Celery's {@code Heart}: {@code worker-online} when it starts,
 * {@code worker-heartbeat} every {@code freq} (2 s by default, so that monitors see it alive
 * for twice that) and {@code worker-offline} when it stops, each with {@code freq},
 * {@code active}, {@code processed}, {@code loadavg}, {@code sw_ident}, {@code sw_ver} and
 * {@code sw_sys}. Worker events are sent whether task events are enabled or not.
 */
public final class WorkerHeartbeats {

	private static final Log logger = LogFactory.getLog(WorkerHeartbeats.class);

	/** Celery's default heartbeat interval ({@code --heartbeat-interval}). */
	public static final Duration DEFAULT_FREQUENCY = Duration.ofSeconds(2);

	private final EventDispatcher dispatcher;

	private final Duration frequency;

	private final IntSupplier active;

	private final LongSupplier processed;

	private final Object monitor = new Object();

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Create the heartbeats of a worker.
	 * @param dispatcher sends the events, as the worker's node
	 * @param frequency the time between heartbeats
	 * @param active the number of tasks running now
	 * @param processed the number of tasks accepted since the worker started
	 */
	public WorkerHeartbeats(EventDispatcher dispatcher, Duration frequency, IntSupplier active,
			LongSupplier processed) {
		Assert.isTrue(frequency.toMillis() > 0, "'frequency' must be positive");
		this.dispatcher = dispatcher;
		this.frequency = frequency;
		this.active = active;
		this.processed = processed;
	}

	/**
	 * Start the dispatcher if it is not, send {@code worker-online} and start the heartbeats;
	 * nothing when already started.
	 */
	public void start() {
		synchronized (this.monitor) {
			if (this.executor != null) {
				return;
			}
			this.dispatcher.start();
			send("worker-online");
			ScheduledExecutorService executor = Executors
				.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("taskqueue-heartbeat-"));
			long millis = this.frequency.toMillis();
			executor.scheduleAtFixedRate(this::heartbeat, millis, millis, TimeUnit.MILLISECONDS);
			this.executor = executor;
		}
	}

	/**
	 * Stop the heartbeats and send {@code worker-offline}; nothing when not started. The
	 * dispatcher is closed by its owner afterwards, which sends what it still holds.
	 */
	public void stop() {
		ScheduledExecutorService stopped;
		synchronized (this.monitor) {
			stopped = this.executor;
			this.executor = null;
		}
		if (stopped == null) {
			return;
		}
		stopped.shutdownNow();
		try {
			stopped.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		send("worker-offline");
	}

	/**
	 * Return whether the heartbeats run.
	 * @return {@code true} between start and stop
	 */
	public boolean isRunning() {
		synchronized (this.monitor) {
			return this.executor != null;
		}
	}

	private void heartbeat() {
		send("worker-heartbeat");
	}

	// Never throws: a scheduled task that throws is never run again, and start and stop must not fail.
	private void send(String type) {
		try {
			Map<String, @Nullable Object> fields = new LinkedHashMap<>();
			fields.put("freq", this.frequency.toMillis() / 1000.0);
			fields.put("active", this.active.getAsInt());
			fields.put("processed", this.processed.getAsLong());
			fields.put("loadavg", SystemInfo.loadAverage());
			SystemInfo.putSoftware(fields);
			this.dispatcher.send(type, fields);
		}
		catch (RuntimeException | Error ex) {
			// an Error too: it would cancel the heartbeats for good, and monitors count the worker dead
			logger.warn("Could not send " + type, ex);
		}
	}

}
