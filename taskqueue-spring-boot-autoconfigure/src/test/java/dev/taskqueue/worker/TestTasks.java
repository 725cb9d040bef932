package dev.taskqueue.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskContext;
import dev.taskqueue.core.TaskOperations;

/**
 * Tasks the worker tests run; records what ran.
 */
class TestTasks {

	final AtomicInteger executions = new AtomicInteger();

	final ConcurrentLinkedQueue<String> executedIds = new ConcurrentLinkedQueue<>();

	final CountDownLatch release = new CountDownLatch(1);

	final CountDownLatch blockingStarted = new CountDownLatch(1);

	volatile TaskOperations operations;

	volatile Map<String, Object> childHeaders;

	@CeleryTask(name = "t.add")
	long add(long x, long y) {
		this.executions.incrementAndGet();
		return x + y;
	}

	@CeleryTask(name = "t.norm")
	double norm(Point point, TaskContext context) {
		this.executedIds.add(context.id());
		return Math.sqrt(point.x() * point.x() + point.y() * point.y());
	}

	@CeleryTask(name = "t.sum")
	long sum(List<Long> numbers) {
		return numbers.stream().mapToLong(Long::longValue).sum();
	}

	@CeleryTask(name = "t.fail")
	void fail(String message) {
		throw new IllegalStateException(message);
	}

	@CeleryTask(name = "t.quiet", ignoreResult = true)
	void quiet() {
		this.executions.incrementAndGet();
	}

	@CeleryTask(name = "t.blocking", trackStarted = true)
	String blocking(TaskContext context) throws InterruptedException {
		context.updateState("PROGRESS", Map.of("current", 1, "total", 2));
		this.blockingStarted.countDown();
		if (!this.release.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("not released");
		}
		this.executions.incrementAndGet();
		return "done";
	}

	@CeleryTask(name = "t.parent")
	String parent(TaskContext context) {
		return this.operations.send("t.child").id();
	}

	@CeleryTask(name = "t.child")
	void child(TaskContext context) {
		this.childHeaders = Map.of("root_id", context.rootId(), "parent_id", String.valueOf(context.parentId()));
	}

	@CeleryTask(name = "t.sleep")
	void sleep(long millis) throws InterruptedException {
		Thread.sleep(millis);
		this.executions.incrementAndGet();
	}

	@CeleryTask
	String unnamed() {
		return "ok";
	}

	record Point(int x, int y) {
	}

}
