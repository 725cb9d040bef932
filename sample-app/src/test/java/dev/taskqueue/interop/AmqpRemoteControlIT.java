package dev.taskqueue.interop;

/**
 * {@link RemoteControlInterop} on RabbitMQ with the rpc:// backend.
 */
class AmqpRemoteControlIT extends RemoteControlInterop {

	AmqpRemoteControlIT() {
		super(Stack.AMQP_RPC);
	}

}
