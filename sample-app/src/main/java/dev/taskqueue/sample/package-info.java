/**
 * Sample application of the task queue: tasks, a REST API that sends them, and the actuator.
 */
@NullMarked
package dev.taskqueue.sample;

import org.jspecify.annotations.NullMarked;
