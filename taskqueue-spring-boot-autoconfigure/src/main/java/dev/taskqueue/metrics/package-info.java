/**
 * Micrometer meters of workers and senders, named so that a celery-exporter dashboard ports
 * over: task counters and the execution timer from the worker's
 * {@link dev.taskqueue.worker.TaskListener}, the publish timer from
 * {@link dev.taskqueue.core.TaskPublishListener}, and gauges of the worker's state and of the
 * length of the queues it consumes.
 */
@NullMarked
package dev.taskqueue.metrics;

import org.jspecify.annotations.NullMarked;
