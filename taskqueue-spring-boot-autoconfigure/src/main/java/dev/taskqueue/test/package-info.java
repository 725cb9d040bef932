/**
 * Support for testing applications that send and run Celery tasks, used test-scoped: an eager
 * broker that runs this application's tasks at once in the sending thread
 * ({@code taskqueue.task.always-eager}), and {@link dev.taskqueue.test.RecordingTaskOperations}
 * to check what an application sent without a broker. Both go through the real codec.
 */
@NullMarked
package dev.taskqueue.test;

import org.jspecify.annotations.NullMarked;
