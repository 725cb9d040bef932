package dev.taskqueue.client.invalid;

import dev.taskqueue.client.Kwarg;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.core.AsyncResult;

/**
 * A client declared wrongly, which no scan finds: two parameters send one keyword.
 */
@TaskClient("invalid")
public interface InvalidClient {

	/**
	 * Send {@code invalid.invoice}, were it valid.
	 * @param customerId the customer
	 * @param id also the customer
	 * @return the result handle
	 */
	AsyncResult<Object> invoice(@Kwarg("id") long customerId, @Kwarg("id") long id);

}
