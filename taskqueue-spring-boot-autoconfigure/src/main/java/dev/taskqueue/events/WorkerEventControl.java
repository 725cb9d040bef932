package dev.taskqueue.events;

/**
 * What remote control may change about the events a worker sends: Celery's
 * {@code enable_events}, {@code disable_events} and {@code heartbeat} commands.
 */
public interface WorkerEventControl {

	/**
	 * Start sending task events.
	 * @return {@code false} when they were sent already
	 */
	boolean enableTaskEvents();

	/**
	 * Stop sending task events (worker events go on).
	 * @return {@code false} when they were not sent
	 */
	boolean disableTaskEvents();

	/** Send a {@code worker-heartbeat} now, with {@code freq} 5, as Celery answers monitors. */
	void sendHeartbeat();

}
