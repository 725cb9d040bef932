/**
 * Celery's remote control (kombu's pidbox): the mailbox a worker answers {@code celery inspect}
 * and {@code celery control} on, its commands, and the client that broadcasts them.
 */
@NullMarked
package dev.taskqueue.control;

import org.jspecify.annotations.NullMarked;
