package dev.taskqueue.worker;

import java.util.Map;

/**
 * Task annotations for worker tests.
 */
final class TestTaskAnnotations {

	private TestTaskAnnotations() {
	}

	/**
	 * Annotations whose defaults set how tasks acknowledge and whether they run again after
	 * their worker was lost, as {@code taskqueue.task.acks-late} and
	 * {@code taskqueue.task.reject-on-worker-lost} do.
	 * @param acksLate whether tasks acknowledge late
	 * @param rejectOnWorkerLost whether tasks run again after their worker was lost
	 * @return the annotations
	 */
	static TaskAnnotations defaults(boolean acksLate, boolean rejectOnWorkerLost) {
		return new TaskAnnotations(new DeclaredTaskOptions(null, null, null, acksLate, rejectOnWorkerLost, null, null, null,
				null, null, null, null, null, null, null, null), Map.of());
	}

}
