package dev.taskqueue.worker;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.taskqueue.broker.Consumption;

/**
 * What a started {@link WorkerContainer} runs, and how it stops: stop fetching, give held and
 * queued tasks back to the broker, wait for running tasks up to the shutdown timeout, then
 * interrupt them.
 *
 * @param consumption the consumption of the worker's queues
 * @param dispatcher receives the deliveries
 * @param executor the pool running the tasks
 * @param timer the timer of ETAs and rate limits
 * @param revokes the revoked tasks followed
 * @param watchdog the watchdog of time limits
 */
record RunningWorker(Consumption consumption, WorkerDispatcher dispatcher, TaskPool executor,
		ScheduledExecutorService timer, RevokedTasks revokes, TimeLimitWatchdog watchdog) {

	private static final Log logger = LogFactory.getLog(RunningWorker.class);

	/** How long interrupted tasks get to give their messages back. */
	private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

	/**
	 * Stop consuming and wait for the running tasks, not for runaways (abandoned at their
	 * hard time limit, their messages settled): nothing can stop those.
	 * @param settings the shutdown timeout
	 */
	void stop(WorkerSettings settings) {
		try {
			stopTasks(settings);
		}
		finally {
			this.revokes.close();
		}
	}

	private void stopTasks(WorkerSettings settings) {
		this.consumption.close();
		this.dispatcher.stop();
		this.timer.shutdownNow();
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTasks(settings.shutdownTimeout())) {
				logger.warn("Tasks still running after the shutdown timeout of " + settings.shutdownTimeout()
						+ "; interrupting them");
				interrupt();
				if (!this.executor.awaitTasks(INTERRUPT_GRACE)) {
					logger.error("Tasks still running " + INTERRUPT_GRACE.toSeconds() + " s after they were "
							+ "interrupted; their messages are redelivered when the broker sees this worker gone");
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			interrupt();
		}
		finally {
			this.watchdog.shutdown();
		}
		int runaways = this.executor.runaways();
		if (runaways > 0) {
			logger.warn(runaways + " task(s) abandoned at their hard time limit are still running; their "
					+ "results are discarded, and their threads end when the tasks return");
		}
	}

	/** Interrupt the running tasks; those queued and not started go back to the broker. */
	private void interrupt() {
		for (Runnable notStarted : this.executor.shutdownNow()) {
			notStarted.run();
		}
	}

}
