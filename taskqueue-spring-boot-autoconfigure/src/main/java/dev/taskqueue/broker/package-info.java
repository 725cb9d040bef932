/**
 * The broker SPI: publish encoded task messages, consume them as deliveries, acknowledge,
 * requeue or dead-letter them. Transports live in sub-packages.
 */
@NullMarked
package dev.taskqueue.broker;

import org.jspecify.annotations.NullMarked;
