package dev.taskqueue.client.meta;

/**
 * A client declared through an annotation that carries {@code @TaskClient}.
 */
@BillingTasks
public interface MetaAnnotatedClient {

	/**
	 * Send {@code billing.close}.
	 * @param customerId the customer
	 */
	void close(long customerId);

}
