/**
 * Celery's beat: periodic tasks from {@code taskqueue.beat.schedule.*} and from
 * {@link dev.taskqueue.beat.ScheduleEntry} beans, sent through the template by exactly one
 * leading instance, with their last runs kept in the broker's store.
 */
@NullMarked
package dev.taskqueue.beat;

import org.jspecify.annotations.NullMarked;
