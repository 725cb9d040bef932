/**
 * Sample application of the task queue: tasks, a REST API that sends them, task clients that
 * call them and the tasks of a Python worker, and the actuator.
 */
@NullMarked
package dev.taskqueue.sample;

import org.jspecify.annotations.NullMarked;
