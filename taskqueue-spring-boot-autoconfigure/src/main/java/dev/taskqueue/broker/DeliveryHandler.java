package dev.taskqueue.broker;

/**
 * Receives deliveries from a {@link Broker}. A handler settles each delivery itself, now or
 * later; transports call it through a {@link GuardedDeliveryHandler}, which dead-letters a
 * delivery whose handler threw.
 */
@FunctionalInterface
public interface DeliveryHandler {

	/**
	 * Handle a delivery: settle it, or take it over to settle it later.
	 * @param delivery the delivery
	 */
	void onDelivery(Delivery delivery);

	/**
	 * Called when {@link #onDelivery(Delivery)} threw, {@link Error}s included, before the
	 * guard dead-letters the delivery; for handlers that report such failures. Must not throw.
	 * @param delivery the delivery being handled
	 * @param failure what was thrown
	 */
	default void onFailure(Delivery delivery, Throwable failure) {
	}

}
