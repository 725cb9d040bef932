/**
 * Celery's Redis result backend: task metas under {@code celery-task-meta-<id>}, published
 * on the channel of the same name, waited for with Redis pub/sub.
 */
@NullMarked
package dev.taskqueue.backend.redis;

import org.jspecify.annotations.NullMarked;
