package dev.taskqueue.core;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Holds a publication back until the current Spring transaction commits. The only class of
 * the template that touches spring-tx, so that applications without it never load it.
 */
final class AfterCommitPublisher {

	private static final Log logger = LogFactory.getLog(AfterCommitPublisher.class);

	private final AtomicLong failures = new AtomicLong();

	/**
	 * Publish after the current transaction commits, or not at all when it rolls back.
	 * @param taskId the id of the task, for the log
	 * @param taskName the name of the task, for the log
	 * @param publish publishes the message
	 * @return {@code false} when no transaction synchronization is active and nothing was
	 * registered: the caller publishes now
	 */
	boolean deferToCommit(String taskId, String taskName, Runnable publish) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return false;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				try {
					publish.run();
				}
				catch (RuntimeException ex) {
					// the transaction is committed: there is no caller left to throw to
					AfterCommitPublisher.this.failures.incrementAndGet();
					logger.error("Task '" + taskName + "' (" + taskId + ") was not sent after its transaction "
							+ "committed: " + ex.getMessage(), ex);
				}
			}

		});
		return true;
	}

	/**
	 * Return how many publications failed after their transaction committed.
	 * @return the number of failed publications
	 */
	long failures() {
		return this.failures.get();
	}

}
