/**
 * The root of taskqueue, holding {@link dev.taskqueue.TaskQueueException}, the exception every
 * layer's failures extend.
 */
package dev.taskqueue;
