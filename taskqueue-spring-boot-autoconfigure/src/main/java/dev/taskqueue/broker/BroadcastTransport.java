package dev.taskqueue.broker;

/**
 * The part of a transport that carries kombu's broadcast traffic, the messages beside the
 * tasks: remote-control requests on the {@code celery.pidbox} fanout exchange, events on
 * {@code celeryev}, and replies on the direct exchange {@code reply.celery.pidbox}. Messages
 * are fire-and-forget: nothing is acknowledged, and a message nobody is bound to receive is
 * dropped.
 * <p>
 * On RabbitMQ exchanges and queues are declared as given and consumed without
 * acknowledgements. On Redis, as kombu does it: fanout and topic exchanges are Redis pub/sub
 * ({@code PUBLISH /<db>.<exchange>/<routing key>}, subscribers {@code PSUBSCRIBE} the binding
 * key with {@code #} as {@code *}; Celery makes its topic exchanges fanout on Redis), and a
 * direct exchange is a binding set {@code _kombu.binding.<exchange>} whose queues are lists.
 * Transports that have this part implement it next to {@link Broker}, as they do
 * {@link BrokerAdmin}. Implementations are thread-safe.
 */
public interface BroadcastTransport {

	/**
	 * Publish a message to an exchange, declaring the exchange first where the transport
	 * declares entities. Returns once the message is handed to the broker; nothing confirms it.
	 * @param exchange the exchange
	 * @param routingKey the routing key ({@code ""} on the pidbox fanout exchange)
	 * @param message the message
	 * @throws BrokerException when the broker cannot be reached
	 */
	void publish(BroadcastExchange exchange, String routingKey, BroadcastMessage message);

	/**
	 * Bind a queue to an exchange and receive what arrives on it, until the returned handle is
	 * closed. The queue is transient: it goes away once it is no longer consumed (on Redis a
	 * direct exchange's list is deleted and its binding removed on close). Messages arrive on
	 * a thread of the transport, one at a time and in order; the listener must not block it
	 * for long. Whatever the listener throws is logged and the subscription goes on. A lost
	 * connection is re-established and the subscription resumed by the transport, losing the
	 * messages sent meanwhile.
	 * @param exchange the exchange to bind to
	 * @param queue the queue, its binding key and arguments
	 * @param listener receives each message
	 * @return the subscription; closing it stops receiving
	 * @throws BrokerException when the broker cannot be reached at first
	 */
	Subscription subscribe(BroadcastExchange exchange, BroadcastQueue queue, BroadcastListener listener);

	/**
	 * Receives broadcast messages.
	 */
	@FunctionalInterface
	interface BroadcastListener {

		/**
		 * A message arrived.
		 * @param routingKey the routing key it was published with
		 * @param message the message
		 */
		void onMessage(String routingKey, BroadcastMessage message);

	}

	/**
	 * A running subscription; {@link #close()} ends it.
	 */
	interface Subscription extends AutoCloseable {

		/** Stop receiving and remove what the subscription declared, where the transport must. */
		@Override
		void close();

	}

}
