package dev.taskqueue.broker;

import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.routing.Destination;

/**
 * An encoded task message and the destination it is published to.
 *
 * @param message the encoded message
 * @param destination exchange and routing key
 */
public record OutboundMessage(EncodedMessage message, Destination destination) {
}
