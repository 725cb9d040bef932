/**
 * Celery's {@code rpc://} result backend on RabbitMQ: workers send every state back as a
 * message to the reply queue named in the task's {@code reply_to}; each client consumes its
 * own queue and keeps the latest state per task.
 */
@NullMarked
package dev.taskqueue.backend.rpc;

import org.jspecify.annotations.NullMarked;
