package dev.taskqueue.broker.amqp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP.BasicProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How many times RabbitMQ delivered a message, in a way that survives the consumer's death.
 * <p>
 * A quorum queue counts by itself: on a redelivered message RabbitMQ sets
 * {@value #QUORUM_COUNT_HEADER} to the number of earlier deliveries that came back to the
 * queue (absent on the first delivery; RabbitMQ 3.8 to 4.2 count every return, 4.3 only those
 * of a closed channel or a {@code basic.reject}). A classic queue only says
 * {@code redelivered}. So the count starts from the header {@value #COUNT_HEADER}, written on
 * the copies made here and holding the count of the copy's first delivery (1 when absent),
 * and adds {@value #QUORUM_COUNT_HEADER} on a quorum queue, or 1 for a redelivered message of
 * a classic queue. A redelivered classic message is {@link #carryOver carried over} before
 * the worker sees it: a copy with its count is published to the back of the queue, confirmed,
 * and the original acknowledged, so that the count survives a further death; only redelivered
 * messages pay this publish. A message the worker gives back is handled the same way, with
 * its own count, so that giving back does not count on either queue type.
 * <p>
 * Copies need publisher confirms: without them nothing is carried over, a requeue is a
 * {@code basic.reject} (which counts), and a classic queue counts at most 2.
 */
final class AmqpRedeliveries {

	private static final Log logger = LogFactory.getLog(AmqpRedeliveries.class);

	/** The header of RabbitMQ's own count of the returns of a quorum queue's message. */
	static final String QUORUM_COUNT_HEADER = "x-delivery-count";

	/** The header holding the count of the first delivery of a copy made here. */
	static final String COUNT_HEADER = AmqpBroker.DELIVERY_COUNT_HEADER;

	private final AmqpPublisher publisher;

	private final boolean confirms;

	private final Predicate<String> quorum;

	/**
	 * Create a new instance.
	 * @param publisher publishes the copies
	 * @param confirms whether the publisher waits for confirms; no copies are made without
	 * @param quorum whether a queue, by name, is a quorum queue
	 */
	AmqpRedeliveries(AmqpPublisher publisher, boolean confirms, Predicate<String> quorum) {
		this.publisher = publisher;
		this.confirms = confirms;
		this.quorum = quorum;
	}

	/**
	 * Return the delivery count of a message.
	 * @param queue the queue it came from
	 * @param properties its properties
	 * @param redelivered whether RabbitMQ says it was delivered before
	 * @return the number of deliveries, this one included
	 */
	int count(String queue, BasicProperties properties, boolean redelivered) {
		Map<String, Object> headers = properties.getHeaders();
		// any publisher can set these headers: a huge one must not wrap the sum below 1
		long first = Math.min(Integer.MAX_VALUE, Math.max(1, number(headers, COUNT_HEADER)));
		long returns = 0;
		if (redelivered) {
			// a publisher's own x-delivery-count survives a first delivery: read it only on redeliveries
			returns = this.quorum.test(queue)
					? Math.min(Integer.MAX_VALUE, Math.max(0, number(headers, QUORUM_COUNT_HEADER))) : 1;
		}
		return (int) Math.min(Integer.MAX_VALUE, first + returns);
	}

	/**
	 * Whether a delivery must be carried over before the worker sees it: a redelivered message
	 * of a classic queue, when copies can be confirmed.
	 * @param queue the queue it came from
	 * @param redelivered whether RabbitMQ says it was delivered before
	 * @return whether to carry it over
	 */
	boolean mustCarryOver(String queue, boolean redelivered) {
		return redelivered && this.confirms && !this.quorum.test(queue);
	}

	/**
	 * Publish a copy of a message to the back of its queue, on the default exchange, with the
	 * count its first delivery has, and wait for the confirm. The caller then acknowledges the
	 * original. The thread's interrupt status is put aside meanwhile (a task interrupted at
	 * shutdown gives its message back), so that a copy is not half-sent.
	 * @param queue the queue
	 * @param properties the properties of the message
	 * @param body the body of the message
	 * @param count the count of the copy's first delivery
	 * @return whether RabbitMQ confirmed the copy; {@code false} (logged) when it did not,
	 * or when copies cannot be confirmed
	 */
	boolean carryOver(String queue, BasicProperties properties, byte[] body, int count) {
		if (!this.confirms) {
			return false;
		}
		Map<String, Object> headers = withoutCounts(properties.getHeaders());
		headers.put(COUNT_HEADER, count);
		boolean interrupted = Thread.interrupted();
		try {
			this.publisher.publish("", queue, properties.builder().headers(headers).build(), body);
			return true;
		}
		catch (RuntimeException | Error ex) {
			// the message must still be settled: rejected back to the queue, as it is
			logger.warn("Could not carry message " + properties.getCorrelationId() + " of queue '" + queue
					+ "' over with its delivery count " + count + "; it goes back as it is: " + ex.getMessage());
			return false;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Whether a message is a copy made here.
	 * @param properties the properties of the message
	 * @return whether it carries {@value #COUNT_HEADER}
	 */
	static boolean isCopy(BasicProperties properties) {
		Map<String, Object> headers = properties.getHeaders();
		return headers != null && headers.containsKey(COUNT_HEADER);
	}

	/**
	 * Return headers without the delivery counts, for a message that starts afresh (such as
	 * a requeued dead letter) or gets a count of its own.
	 * @param headers the headers, or {@code null}
	 * @return a mutable copy without the counts
	 */
	static Map<String, Object> withoutCounts(@Nullable Map<String, Object> headers) {
		Map<String, Object> copy = (headers != null) ? new LinkedHashMap<>(headers) : new LinkedHashMap<>();
		copy.remove(COUNT_HEADER);
		copy.remove(QUORUM_COUNT_HEADER);
		return copy;
	}

	private static long number(@Nullable Map<String, Object> headers, String name) {
		Object value = (headers != null) ? headers.get(name) : null;
		return (value instanceof Number number) ? number.longValue() : 0;
	}

}
