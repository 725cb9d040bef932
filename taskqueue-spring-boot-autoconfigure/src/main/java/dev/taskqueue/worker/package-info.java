/**
 * The worker: finds {@code @CeleryTask} methods, consumes task messages, runs them on a
 * bounded pool, and stores their states and results.
 */
@NullMarked
package dev.taskqueue.worker;

import org.jspecify.annotations.NullMarked;
