/**
 * Beat on RabbitMQ alone: leadership as the holding of an exclusive queue, the last ticks in
 * queues that keep only their last message.
 */
@NullMarked
package dev.taskqueue.beat.amqp;

import org.jspecify.annotations.NullMarked;
