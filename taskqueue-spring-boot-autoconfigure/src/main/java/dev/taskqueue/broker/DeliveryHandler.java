package dev.taskqueue.broker;

/**
 * Receives deliveries from a {@link Broker}. Must not throw; a handler that fails to handle a
 * delivery settles it itself.
 */
@FunctionalInterface
public interface DeliveryHandler {

	void onDelivery(Delivery delivery);

}
