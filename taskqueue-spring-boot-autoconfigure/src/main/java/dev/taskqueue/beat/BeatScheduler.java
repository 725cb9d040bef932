package dev.taskqueue.beat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

import dev.taskqueue.core.TaskOperations;

/**
 * Celery's {@code celery beat}, highly available: every instance that enables beat runs one,
 * exactly one of them leads ({@link BeatLeadership}) and sends each due entry through the
 * template, as an ordinary task message that Java and Python workers run alike.
 * <p>
 * As Celery's beat after downtime, ticks missed while no one led are sent once, not as a
 * burst, and each tick expires (by default) when the next one is due. The due time of each
 * entry's last tick is kept in the {@link BeatStore}, so a restart or a new leader neither
 * repeats nor skips a tick; an entry never run first falls due one period after the scheduler
 * starts following it, as in Celery. Each tick carries the headers {@value #ENTRY_HEADER} and
 * {@value #DUE_HEADER}, so a duplicate is detectable downstream.
 */
public class BeatScheduler implements SmartLifecycle {

	/** Header naming the entry a tick belongs to. */
	public static final String ENTRY_HEADER = "beat_entry";

	/** Header holding the time a tick was due, ISO 8601. */
	public static final String DUE_HEADER = "beat_due";

	private static final Log logger = LogFactory.getLog(BeatScheduler.class);

	private static final Duration POLL = Duration.ofMillis(100);

	/** How often an instance that does not lead asks to lead: each ask costs the store a write. */
	private static final Duration FOLLOW = Duration.ofSeconds(1);

	private final Map<String, ScheduleEntry> entries;

	private final BeatLeadership leadership;

	private final BeatStore store;

	private final ZoneId zone;

	private final Duration renewEvery;

	private final Clock clock;

	private final BeatTicks ticks;

	private final Map<String, Instant> lastDue = new ConcurrentHashMap<>();

	private final Object monitor = new Object();

	private @Nullable ScheduledExecutorService executor;

	private volatile boolean leading;

	private volatile Instant leadCheckedAt = Instant.EPOCH;

	/**
	 * Create a scheduler.
	 * @param tasks sends the ticks
	 * @param entries the entries, by unique name
	 * @param leadership decides which instance sends
	 * @param store keeps the last ticks
	 * @param zone the zone crontabs are read in (Celery's {@code timezone})
	 * @param lease how long a leader's lease lasts; it renews every third of it
	 * @param clock the clock
	 */
	public BeatScheduler(TaskOperations tasks, List<ScheduleEntry> entries, BeatLeadership leadership,
			BeatStore store, ZoneId zone, Duration lease, Clock clock) {
		Assert.isTrue(!lease.isNegative() && lease.compareTo(Duration.ofSeconds(3)) >= 0,
				() -> "The beat lease must be at least 3 seconds, got " + lease);
		this.entries = new LinkedHashMap<>();
		for (ScheduleEntry entry : entries) {
			Assert.isTrue(this.entries.put(entry.name(), entry) == null,
					() -> "Two beat entries are named '" + entry.name() + "'");
		}
		this.leadership = leadership;
		this.store = store;
		this.zone = zone;
		this.renewEvery = lease.dividedBy(3);
		this.clock = clock;
		this.ticks = new BeatTicks(tasks, zone);
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.executor != null) {
				return;
			}
			this.executor = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("taskqueue-beat-"));
			this.executor.scheduleWithFixedDelay(this::pollSafely, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
			logger.info("Beat follows " + this.entries.size() + " entries " + this.entries.keySet() + " in "
					+ this.zone + ", leadership by " + this.leadership.describe());
		}
	}

	@Override
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
			stopped.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// also a follower: it may hold what it took while stopping (a lock it just won)
		this.leading = false;
		this.leadership.release();
	}

	@Override
	public boolean isRunning() {
		synchronized (this.monitor) {
			return this.executor != null;
		}
	}

	/**
	 * Return whether this instance leads and sends the ticks.
	 * @return whether it leads
	 */
	public boolean isLeader() {
		return this.leading;
	}

	/**
	 * Return the entries with their last and next ticks, as this instance knows them.
	 * @return the entries, in order
	 */
	public List<EntryStatus> entries() {
		List<EntryStatus> statuses = new ArrayList<>();
		for (ScheduleEntry entry : this.entries.values()) {
			Instant last = this.lastDue.get(entry.name());
			Instant next = (last != null) ? entry.schedule().nextAfter(last, this.zone) : null;
			statuses.add(new EntryStatus(entry.name(), entry.task(), entry.schedule().toString(), last, next));
		}
		return statuses;
	}

	/**
	 * Send an entry's task now, whichever instance leads, without changing its schedule.
	 * @param name the entry name
	 * @return the id of the task sent
	 * @throws IllegalArgumentException when there is no such entry
	 */
	public String runNow(String name) {
		ScheduleEntry entry = this.entries.get(name);
		Assert.isTrue(entry != null, () -> "No beat entry is named '" + name + "'");
		Instant now = this.clock.instant();
		return this.ticks.send(entry, now, now);
	}

	private void pollSafely() {
		try {
			poll();
		}
		catch (Throwable ex) {
			// the executor would stop polling for good: log and go on at the next poll
			logger.error("Beat failed to poll; it tries again", ex);
		}
	}

	private void poll() {
		Instant now = this.clock.instant();
		Duration askEvery = this.leading ? this.renewEvery : FOLLOW;
		if (!now.isBefore(this.leadCheckedAt.plus(askEvery))) {
			boolean wasLeading = this.leading;
			this.leading = this.leadership.tryLead();
			this.leadCheckedAt = now;
			if (this.leading && !wasLeading) {
				logger.info("This instance now leads beat; it sends the periodic tasks");
				try {
					loadLastRuns(now);
				}
				catch (RuntimeException ex) {
					// without the last runs it could repeat or skip ticks: let another one lead
					logger.error("Beat could not read the last runs of its entries; it gives up the lead", ex);
					this.leading = false;
					this.leadership.release();
					return;
				}
			}
			else if (!this.leading && wasLeading) {
				logger.warn("This instance no longer leads beat; another one sends the periodic tasks");
			}
		}
		if (this.leading) {
			for (ScheduleEntry entry : this.entries.values()) {
				if (!holdsLead()) {
					// the sends took long (a broker slow to confirm): renew before sending more
					return;
				}
				sendIfDue(entry, now);
			}
		}
	}

	private boolean holdsLead() {
		return this.clock.instant().isBefore(this.leadCheckedAt.plus(this.renewEvery.multipliedBy(2)));
	}

	private void loadLastRuns(Instant now) {
		Map<String, Instant> loaded = new LinkedHashMap<>();
		for (ScheduleEntry entry : this.entries.values()) {
			Instant stored = this.store.lastRun(entry.name());
			loaded.put(entry.name(), (stored != null) ? stored : now);
		}
		this.lastDue.putAll(loaded);
	}

	private void sendIfDue(ScheduleEntry entry, Instant now) {
		Instant last = this.lastDue.get(entry.name());
		Instant due = entry.schedule().nextAfter(last, this.zone);
		if (due.isAfter(now)) {
			return;
		}
		// ticks missed meanwhile go out once, as the latest of them (Celery's behaviour)
		Instant latest = due;
		for (Instant next = entry.schedule().nextAfter(due, this.zone); !next.isAfter(now); next = entry.schedule()
			.nextAfter(next, this.zone)) {
			latest = next;
		}
		try {
			this.ticks.send(entry, latest, now);
		}
		catch (RuntimeException ex) {
			logger.error("Beat could not send entry '" + entry.name() + "'; it tries again", ex);
			return;
		}
		this.lastDue.put(entry.name(), latest);
		try {
			this.store.saveLastRun(entry.name(), latest);
		}
		catch (RuntimeException ex) {
			// the other entries still go out; a new leader may send this tick again
			logger.error("Beat sent entry '" + entry.name() + "' but could not record it", ex);
		}
	}

	/**
	 * An entry as the actuator shows it.
	 *
	 * @param name the entry name
	 * @param task the task name
	 * @param schedule the schedule, described
	 * @param lastRun when its last tick was due, or {@code null}
	 * @param nextRun when its next tick is due, or {@code null} before this instance led
	 */
	public record EntryStatus(String name, String task, String schedule, @Nullable Instant lastRun,
			@Nullable Instant nextRun) {
	}

}
