package dev.taskqueue.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops with the application context something that has start and stop methods
 * but is no {@link SmartLifecycle} itself (the worker's mailbox, its heartbeats), in the
 * worker's phase.
 */
final class RunningLifecycle implements SmartLifecycle {

	private final Runnable start;

	private final Runnable stop;

	private final AtomicBoolean running = new AtomicBoolean();

	RunningLifecycle(Runnable start, Runnable stop) {
		this.start = start;
		this.stop = stop;
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
