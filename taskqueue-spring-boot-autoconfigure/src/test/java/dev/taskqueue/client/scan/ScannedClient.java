package dev.taskqueue.client.scan;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.core.AsyncResult;

/**
 * A client the auto-configuration finds in the application's packages.
 */
@TaskClient("scanned")
public interface ScannedClient {

	/**
	 * Send {@code scanned.echo}.
	 * @param text the text
	 * @return the result handle
	 */
	AsyncResult<String> echo(String text);

}
