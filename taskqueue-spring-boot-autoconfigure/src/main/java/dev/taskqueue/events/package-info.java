/**
 * Celery's monitoring events on the {@code celeryev} exchange: worker heartbeats and task
 * events sent by workers and clients, read by {@code celery events} and Flower.
 */
@NullMarked
package dev.taskqueue.events;

import org.jspecify.annotations.NullMarked;
