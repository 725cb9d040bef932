package dev.taskqueue.test;

import java.util.List;
import java.util.Map;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskContext;

/**
 * Tasks the eager-mode tests send; each returns facts about how it ran.
 */
class EagerTasks {

	@CeleryTask(name = "eager.add")
	long add(long x, long y) {
		return x + y;
	}

	@CeleryTask(name = "eager.sum")
	long sum(List<Long> numbers) {
		return numbers.stream().mapToLong(Long::longValue).sum();
	}

	@CeleryTask(name = "eager.thread")
	String thread() {
		return Thread.currentThread().getName();
	}

	@CeleryTask(name = "eager.describe")
	Map<String, Object> describe(Point point, TaskContext context) {
		return Map.of("id", context.id(), "sum", point.x() + point.y(), "type", point.getClass().getSimpleName());
	}

	@CeleryTask(name = "eager.area")
	double area(Shape shape) {
		return shape.area();
	}

	@CeleryTask(name = "eager.progress")
	String progress(TaskContext context) {
		context.updateState("PROGRESS", Map.of("step", 1));
		return "done";
	}

	@CeleryTask(name = "eager.fail")
	void fail(String message) {
		throw new IllegalStateException(message);
	}

	/** A type with no JSON form that reads back: it goes out as {@code {"radius": ...}}. */
	interface Shape {

		double area();

	}

	record Circle(double radius) implements Shape {

		@Override
		public double area() {
			return Math.PI * this.radius * this.radius;
		}

	}

	record Point(int x, int y) {
	}

}
