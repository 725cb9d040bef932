/**
 * Auto-configuration for the task queue: properties, broker and result backend chosen by URL,
 * the template, the worker, and the actuator endpoint and health indicator.
 */
@NullMarked
package dev.taskqueue.autoconfigure;

import org.jspecify.annotations.NullMarked;
