/**
 * The root of taskqueue, holding {@link dev.taskqueue.TaskQueueException}, the exception every
 * layer's failures extend.
 */
@NullMarked
package dev.taskqueue;

import org.jspecify.annotations.NullMarked;
