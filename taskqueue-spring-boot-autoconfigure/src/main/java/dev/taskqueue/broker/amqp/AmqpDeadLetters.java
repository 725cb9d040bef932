package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.DeadLetter;

/**
 * The dead-letter queues: a message that cannot be handled is published, with its body,
 * properties and headers, to the durable queue {@code <queue>.dead-letter} on the default
 * exchange, with the reason in the header {@value AmqpBroker#DEAD_LETTER_REASON_HEADER}.
 * Its expiration is dropped, as RabbitMQ's own dead-lettering does, so that it stays there
 * for inspection. Celery's queues themselves get no {@code x-dead-letter-exchange}: their
 * declarations must match Python's.
 */
final class AmqpDeadLetters {

	private final AmqpDeclarations declarations;

	private final AmqpPublisher publisher;

	private final RabbitAdmin admin;

	private final String url;

	AmqpDeadLetters(AmqpDeclarations declarations, AmqpPublisher publisher, RabbitAdmin admin, String url) {
		this.declarations = declarations;
		this.publisher = publisher;
		this.admin = admin;
		this.url = url;
	}

	/**
	 * Publish a message to the dead-letter queue of the queue it came from, confirmed when
	 * publisher confirms are on.
	 * @param queue the queue the message came from
	 * @param properties the properties of the message
	 * @param body the body of the message
	 * @param reason why the message is dead-lettered
	 * @throws BrokerException when it could not be published
	 */
	void publish(String queue, BasicProperties properties, byte[] body, String reason) {
		String deadLetterQueue = this.declarations.ensureDeadLetterQueue(queue);
		Map<String, Object> headers = new LinkedHashMap<>();
		if (properties.getHeaders() != null) {
			headers.putAll(properties.getHeaders());
		}
		headers.put(AmqpBroker.DEAD_LETTER_REASON_HEADER, reason);
		this.publisher.publish("", deadLetterQueue, properties.builder().headers(headers).expiration(null).build(),
				body);
	}

	/**
	 * Read up to {@code limit} messages of the dead-letter queue of a queue, oldest first, and
	 * give them back to it in their place.
	 * @param queue the queue whose dead letters to read
	 * @param limit the maximum number of messages to read
	 * @return the dead letters read, oldest first
	 * @throws BrokerException when RabbitMQ cannot be reached
	 */
	List<DeadLetter> read(String queue, int limit) {
		return onDeadLetterQueue(queue, "read the dead letters", List.of(), (channel, held) -> {
			List<DeadLetter> read = new ArrayList<>();
			GetResponse response;
			while (read.size() < limit && (response = get(channel, queue, held)) != null) {
				read.add(letter(queue, response));
			}
			return read;
		});
	}

	/**
	 * Move the dead letter of a task back to its queue (on the default exchange, without the
	 * reason header and the delivery counts, so that its next delivery counts as its first),
	 * acknowledging it in the dead-letter queue only once the queue took it.
	 * @param queue the queue name
	 * @param taskId the task id
	 * @return whether a dead letter of the task was found and moved
	 * @throws BrokerException when RabbitMQ cannot be reached or did not take the message
	 */
	boolean requeue(String queue, String taskId) {
		return onDeadLetterQueue(queue, "requeue the dead letter of task " + taskId, false, (channel, held) -> {
			GetResponse response;
			while ((response = get(channel, queue, held)) != null) {
				if (taskId.equals(letter(queue, response).taskId())) {
					// back as a new message: its deliveries start afresh
					Map<String, Object> headers = AmqpRedeliveries.withoutCounts(response.getProps().getHeaders());
					headers.remove(AmqpBroker.DEAD_LETTER_REASON_HEADER);
					this.publisher.publish("", queue, response.getProps().builder().headers(headers).build(),
							response.getBody());
					long tag = response.getEnvelope().getDeliveryTag();
					channel.basicAck(tag, false);
					held.remove(tag);
					return true;
				}
			}
			return false;
		});
	}

	/**
	 * Run an action on a channel with the messages it takes from the dead-letter queue held
	 * unacknowledged, and give those still held back to the queue afterwards.
	 * @param <T> the type of the result
	 * @param queue the queue whose dead-letter queue to use
	 * @param action what the action does, for error messages
	 * @param whenAbsent the result when there is no dead-letter queue
	 * @param work the action
	 * @return the result of the action, or {@code whenAbsent} when there is no dead-letter
	 * queue or the action returned {@code null}
	 */
	private <T> T onDeadLetterQueue(String queue, String action, T whenAbsent, DeadLetterAction<T> work) {
		String deadLetterQueue = queue + AmqpDeclarations.DEAD_LETTER_SUFFIX;
		try {
			if (this.admin.getQueueInfo(deadLetterQueue) == null) {
				return whenAbsent;
			}
			T result = this.admin.getRabbitTemplate().execute((channel) -> {
				List<Long> held = new ArrayList<>();
				try {
					return work.run(channel, held);
				}
				finally {
					for (long tag : held) {
						channel.basicNack(tag, false, true);
					}
				}
			});
			return (result != null) ? result : whenAbsent;
		}
		catch (AmqpException ex) {
			throw new BrokerException("Cannot " + action + " of queue '" + queue + "' on RabbitMQ at " + this.url
					+ ": " + AmqpErrors.describe(ex), ex);
		}
	}

	private static @Nullable GetResponse get(Channel channel, String queue, List<Long> held) throws IOException {
		GetResponse response = channel.basicGet(queue + AmqpDeclarations.DEAD_LETTER_SUFFIX, false);
		if (response != null) {
			held.add(response.getEnvelope().getDeliveryTag());
		}
		return response;
	}

	private static DeadLetter letter(String queue, GetResponse response) {
		Map<String, Object> headers = AmqpTables.fromAmqp(response.getProps().getHeaders());
		Object reason = headers.get(AmqpBroker.DEAD_LETTER_REASON_HEADER);
		if (reason == null && headers.get("x-death") instanceof List<?> deaths && !deaths.isEmpty()
				&& deaths.get(0) instanceof Map<?, ?> death) {
			// dead-lettered by RabbitMQ itself, as x-dead-letter-routing-key <queue>.dead-letter asks
			reason = "Dead-lettered by RabbitMQ (" + death.get("reason") + ")";
		}
		Object id = headers.get("id");
		return new DeadLetter(queue, (reason != null) ? reason.toString() : "", null,
				(id instanceof String text) ? text : response.getProps().getCorrelationId(),
				(headers.get("task") instanceof String task) ? task : null, response.getBody());
	}

	@FunctionalInterface
	private interface DeadLetterAction<T> {

		T run(Channel channel, List<Long> held) throws IOException;

	}

}
