package dev.taskqueue.interop;

/**
 * {@link RemoteControlInterop} on Redis.
 */
class RedisRemoteControlIT extends RemoteControlInterop {

	RedisRemoteControlIT() {
		super(Stack.REDIS);
	}

}
