package dev.taskqueue.broker;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

/**
 * The one guard at the consumer boundary that every transport calls its handler through: a
 * handler that throws anything, {@link Error}s included, is told so through
 * {@link DeliveryHandler#onFailure}, the delivery is dead-lettered with the reason (ignored
 * when the handler had settled it already), and the consumer thread goes on. For transport
 * implementations.
 */
public final class GuardedDeliveryHandler implements DeliveryHandler {

	private static final Log logger = LogFactory.getLog(GuardedDeliveryHandler.class);

	private final DeliveryHandler handler;

	private GuardedDeliveryHandler(DeliveryHandler handler) {
		this.handler = handler;
	}

	/**
	 * Guard a handler.
	 * @param handler the handler
	 * @return the guarded handler; the same when it is guarded already
	 */
	public static GuardedDeliveryHandler of(DeliveryHandler handler) {
		Assert.notNull(handler, "'handler' must not be null");
		return (handler instanceof GuardedDeliveryHandler guarded) ? guarded : new GuardedDeliveryHandler(handler);
	}

	/** Hand a delivery to the handler; never throws. */
	@Override
	public void onDelivery(Delivery delivery) {
		try {
			this.handler.onDelivery(delivery);
		}
		catch (Throwable ex) {
			onFailure(delivery, ex);
		}
	}

	@Override
	public void onFailure(Delivery delivery, Throwable failure) {
		try {
			logger.error("Handling " + delivery + " failed; the message goes to the dead-letter place and the"
					+ " consumer goes on", failure);
			this.handler.onFailure(delivery, failure);
		}
		catch (Throwable ex) {
			failure.addSuppressed(ex);
		}
		finally {
			deadLetter(delivery, failure);
		}
	}

	private static void deadLetter(Delivery delivery, Throwable failure) {
		try {
			delivery.deadLetter("Worker failed handling the message: " + failure);
		}
		catch (Throwable ex) {
			logger.error("Cannot dead-letter " + delivery + " after a failure; the broker delivers it again", ex);
		}
	}

}
