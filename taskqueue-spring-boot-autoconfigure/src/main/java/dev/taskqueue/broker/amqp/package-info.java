/**
 * Kombu's AMQP transport ({@code amqp://}) on RabbitMQ through Spring AMQP, wire-compatible
 * with Celery 5.2 / kombu 5.2 / py-amqp 5.1: the same properties and typed header tables,
 * the same queue, exchange and binding declarations, {@code basic.qos} with a channel-wide
 * prefetch, manual acknowledgements, and publisher confirms.
 */
@NullMarked
package dev.taskqueue.broker.amqp;

import org.jspecify.annotations.NullMarked;
