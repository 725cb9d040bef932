/**
 * Auto-configuration of the task queue's actuator endpoint and health indicator.
 */
@NullMarked
package dev.taskqueue.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
