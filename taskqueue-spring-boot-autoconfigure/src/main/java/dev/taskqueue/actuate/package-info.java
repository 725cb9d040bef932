/**
 * Actuator support for the task queue: the {@code taskqueue} endpoint and the broker health
 * indicator.
 */
@NullMarked
package dev.taskqueue.actuate;

import org.jspecify.annotations.NullMarked;
