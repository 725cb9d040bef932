package dev.taskqueue.client.scan.other;

import dev.taskqueue.client.TaskClient;

/**
 * A client in a sub-package of the application's.
 */
@TaskClient("other")
public interface OtherClient {

	/**
	 * Send {@code other.ping}.
	 */
	void ping();

}
