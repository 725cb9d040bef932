package dev.taskqueue.broker.amqp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What a consumption does when it cannot dead-letter a message (the dead-letter queue cannot
 * be declared or refuses the publish). Requeueing at once would have RabbitMQ deliver the
 * message straight back, fail again and spin; instead the message stays unacknowledged for a
 * back-off (250 ms, doubling) and is requeued then. After {@value #MAX_ATTEMPTS} failures in a
 * row on one queue the message is kept unacknowledged, so it is neither lost nor delivered
 * again, and consuming that queue stops with an ERROR until the worker restarts; the
 * consumption then reports the failure (health DOWN). A successful dead-lettering on the
 * queue resets the count.
 */
final class DeadLetterRetries {

	private static final Log logger = LogFactory.getLog(DeadLetterRetries.class);

	static final int MAX_ATTEMPTS = 5;

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

	private final ScheduledExecutorService timer;

	private final BiConsumer<String, String> stopQueue;

	private final Map<String, Integer> failures = new ConcurrentHashMap<>();

	/**
	 * Create a new instance.
	 * @param timer runs the delayed requeues
	 * @param stopQueue stops consuming a queue, given the queue and the reason
	 */
	DeadLetterRetries(ScheduledExecutorService timer, BiConsumer<String, String> stopQueue) {
		this.timer = timer;
		this.stopQueue = stopQueue;
	}

	/**
	 * Dead-lettering a message of the queue worked.
	 * @param queue the queue name
	 */
	void succeeded(String queue) {
		if (this.failures.remove(queue) != null) {
			logger.info("Dead-lettering messages of queue '" + queue + "' works again");
		}
	}

	/**
	 * Dead-lettering the delivery failed: requeue it after a back-off, or give up on the queue.
	 * @param delivery the delivery that could not be dead-lettered
	 * @param reason why it was to be dead-lettered
	 * @param failure why dead-lettering failed
	 */
	void failed(AmqpDelivery delivery, String reason, Throwable failure) {
		String queue = delivery.queue();
		int attempt = this.failures.merge(queue, 1, Integer::sum);
		if (attempt >= MAX_ATTEMPTS) {
			String stopped = "Cannot dead-letter messages of queue '" + queue + "' (" + attempt
					+ " failures in a row, the last: " + failure.getMessage() + "); stopped consuming the queue, "
					+ "and " + delivery + " stays unacknowledged until the worker restarts";
			logger.error(stopped + ". Dead-letter reason of the message: " + reason);
			this.stopQueue.accept(queue, stopped);
			return;
		}
		Duration backoff = FIRST_BACKOFF.multipliedBy(1L << (attempt - 1));
		logger.warn("Cannot dead-letter " + delivery + " (" + reason + "): " + failure.getMessage()
				+ "; it goes back to the queue in " + backoff.toMillis() + " ms (attempt " + attempt + " of "
				+ MAX_ATTEMPTS + ")");
		try {
			this.timer.schedule(delivery::requeueAfterFailedDeadLetter, backoff.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			delivery.requeueAfterFailedDeadLetter();
		}
	}

}
