package dev.taskqueue.events;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Filters, sorts and pages task snapshots as Flower's task list does.
 */
final class TaskQueries {

	private TaskQueries() {
	}

	static List<TaskSnapshot> select(List<TaskSnapshot> tasks, TaskQuery query) {
		return tasks.stream()
			.filter((task) -> matches(query.worker(), task.worker()))
			.filter((task) -> matches(query.taskName(), task.name()))
			.filter((task) -> matches(query.state(), task.state()))
			.filter((task) -> query.receivedStart() == null
					|| (task.received() != null && !task.received().isBefore(query.receivedStart())))
			.filter((task) -> query.receivedEnd() == null
					|| (task.received() != null && task.received().isBefore(query.receivedEnd())))
			.sorted(order(query))
			.skip(query.offset())
			.limit(query.limit())
			.toList();
	}

	private static boolean matches(@Nullable String wanted, @Nullable String value) {
		return wanted == null || wanted.equals(value);
	}

	private static Comparator<TaskSnapshot> order(TaskQuery query) {
		Comparator<TaskSnapshot> order = switch (query.sortBy()) {
			case RECEIVED -> byNullsLast(TaskSnapshot::received, query.reversed());
			case STARTED -> byNullsLast(TaskSnapshot::started, query.reversed());
			case NAME -> byNullsLast(TaskSnapshot::name, query.reversed());
			case STATE -> byNullsLast(TaskSnapshot::state, query.reversed());
		};
		Comparator<TaskSnapshot> seen = Comparator.comparing(TaskSnapshot::firstSeen);
		return order.thenComparing(query.reversed() ? seen.reversed() : seen);
	}

	// tasks without the value come last in either direction
	private static <T extends Comparable<T>> Comparator<TaskSnapshot> byNullsLast(
			Function<TaskSnapshot, @Nullable T> key, boolean reversed) {
		Comparator<T> natural = reversed ? Comparator.<T>reverseOrder() : Comparator.<T>naturalOrder();
		return Comparator.comparing(key, Comparator.nullsLast(natural));
	}

}
