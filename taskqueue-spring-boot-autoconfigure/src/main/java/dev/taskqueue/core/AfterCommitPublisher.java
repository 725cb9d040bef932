package dev.taskqueue.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
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
	 * @param publish publishes the message, throwing or failing its future when it cannot
	 * @return completed once the message was published after the commit, or exceptionally
	 * when it was not ({@link TaskSendException}), or {@code null} when no transaction
	 * synchronization is active and nothing was registered: the caller publishes now
	 */
	@Nullable CompletableFuture<Void> deferToCommit(String taskId, String taskName,
			Supplier<CompletableFuture<Void>> publish) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		CompletableFuture<Void> published = new CompletableFuture<>();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				CompletableFuture<Void> sent;
				try {
					sent = publish.get();
				}
				catch (RuntimeException ex) {
					sent = CompletableFuture.failedFuture(ex);
				}
				sent.whenComplete((ignored, ex) -> {
					if (ex != null) {
						failed(taskId, taskName, ex);
						published.completeExceptionally(ex);
					}
					else {
						published.complete(null);
					}
				});
			}

			@Override
			public void afterCompletion(int status) {
				if (status != STATUS_COMMITTED) {
					published.completeExceptionally(new TaskSendException("Task '" + taskName + "' (" + taskId
							+ ") was not sent: its transaction did not commit"));
				}
			}

		});
		return published;
	}

	// the transaction is committed: there is no caller left to throw to
	private void failed(String taskId, String taskName, Throwable ex) {
		this.failures.incrementAndGet();
		logger.error("Task '" + taskName + "' (" + taskId + ") was not sent after its transaction committed: "
				+ ex.getMessage(), ex);
	}

	/**
	 * Return how many publications failed after their transaction committed.
	 * @return the number of failed publications
	 */
	long failures() {
		return this.failures.get();
	}

}
