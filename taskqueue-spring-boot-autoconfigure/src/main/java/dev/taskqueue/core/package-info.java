/**
 * The public API: {@link dev.taskqueue.core.CeleryTask @CeleryTask} to declare tasks,
 * {@link dev.taskqueue.core.TaskOperations} to send them, {@link dev.taskqueue.core.AsyncResult}
 * to follow them, and {@link dev.taskqueue.core.TaskContext} inside a running task.
 */
@NullMarked
package dev.taskqueue.core;

import org.jspecify.annotations.NullMarked;
