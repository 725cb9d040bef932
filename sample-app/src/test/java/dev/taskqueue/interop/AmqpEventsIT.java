package dev.taskqueue.interop;

/**
 * {@link EventsInterop} on RabbitMQ.
 */
class AmqpEventsIT extends EventsInterop {

	AmqpEventsIT() {
		super(Stack.AMQP_RPC);
	}

}
