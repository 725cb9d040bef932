package dev.taskqueue.control;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.core.CeleryTask;

/**
 * Tasks the remote-control tests run; records how many ran and how many ran at once.
 */
class ControlTasks {

	final AtomicInteger executions = new AtomicInteger();

	final AtomicInteger running = new AtomicInteger();

	final AtomicInteger mostRunning = new AtomicInteger();

	final CountDownLatch release = new CountDownLatch(1);

	@CeleryTask(name = "c.add")
	long add(long x, long y) {
		this.executions.incrementAndGet();
		return x + y;
	}

	@CeleryTask(name = "c.block")
	String block(String label) throws InterruptedException {
		this.mostRunning.accumulateAndGet(this.running.incrementAndGet(), Math::max);
		try {
			if (!this.release.await(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("not released");
			}
		}
		finally {
			this.running.decrementAndGet();
		}
		this.executions.incrementAndGet();
		return label;
	}

	@CeleryTask(name = "c.sleep")
	void sleep(long millis) throws InterruptedException {
		Thread.sleep(millis);
		this.executions.incrementAndGet();
	}

	@CeleryTask(name = "c.tick", rateLimit = "100/s")
	void tick() {
		this.executions.incrementAndGet();
	}

}
