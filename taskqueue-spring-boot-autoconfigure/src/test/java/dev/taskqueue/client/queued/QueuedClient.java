package dev.taskqueue.client.queued;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskMethod;

/**
 * A client whose methods name the queues they send to, one of them a queue no worker consumes.
 */
@TaskClient(prefix = "verify", queue = "nobody-consumes-this")
public interface QueuedClient {

	/**
	 * Send {@code verify.echo} to a queue no worker consumes.
	 * @param text the text
	 */
	void echo(String text);

	/**
	 * Send {@code verify.echo} to the queue the test's worker consumes.
	 * @param text the text
	 */
	@TaskMethod(name = "verify.echo", queue = "client-verify")
	void echoHere(String text);

}
