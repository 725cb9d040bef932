package dev.taskqueue.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops with the application context something that has start and stop methods
 * but is no {@link SmartLifecycle} itself (the worker's mailbox, its heartbeats).
 */
final class RunningLifecycle implements SmartLifecycle {

	private final Runnable start;

	private final Runnable stop;

	private final int phase;

	private final AtomicBoolean running = new AtomicBoolean();

	/**
	 * Create a lifecycle in the worker's phase.
	 * @param start what starts
	 * @param stop what stops
	 */
	RunningLifecycle(Runnable start, Runnable stop) {
		this(start, stop, DEFAULT_PHASE);
	}

	/**
	 * Create a lifecycle.
	 * @param start what starts
	 * @param stop what stops
	 * @param phase the phase: lower ones start earlier and stop later
	 */
	RunningLifecycle(Runnable start, Runnable stop, int phase) {
		this.start = start;
		this.stop = stop;
		this.phase = phase;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	@Override
	public void start() {
		if (this.running.compareAndSet(false, true)) {
			this.start.run();
		}
	}

	@Override
	public void stop() {
		if (this.running.compareAndSet(true, false)) {
			this.stop.run();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running.get();
	}

}
