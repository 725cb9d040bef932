package dev.taskqueue.interop;

/**
 * {@link EventsInterop} on Redis.
 */
class RedisEventsIT extends EventsInterop {

	RedisEventsIT() {
		super(Stack.REDIS);
	}

}
