package dev.taskqueue.broker.amqp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.GetResponse;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.amqp.AmqpBroker.DeadLetter;

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
	 * Take up to {@code max} messages out of the dead-letter queue of a queue, oldest first.
	 * @param queue the queue whose dead letters to take
	 * @param max the maximum number of messages to take
	 * @return the dead letters taken, oldest first
	 * @throws BrokerException when RabbitMQ cannot be reached
	 */
	List<DeadLetter> take(String queue, int max) {
		String deadLetterQueue = queue + AmqpDeclarations.DEAD_LETTER_SUFFIX;
		try {
			if (this.admin.getQueueInfo(deadLetterQueue) == null) {
				return List.of();
			}
			List<DeadLetter> letters = this.admin.getRabbitTemplate().execute((channel) -> {
				List<DeadLetter> taken = new ArrayList<>();
				GetResponse response;
				while (taken.size() < max && (response = channel.basicGet(deadLetterQueue, false)) != null) {
					Map<String, Object> headers = AmqpTables.fromAmqp(response.getProps().getHeaders());
					Object reason = headers.get(AmqpBroker.DEAD_LETTER_REASON_HEADER);
					taken.add(new DeadLetter(queue, (reason != null) ? reason.toString() : "", response.getBody(),
							headers));
					channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
				}
				return taken;
			});
			return (letters != null) ? letters : List.of();
		}
		catch (AmqpException ex) {
			throw new BrokerException("Cannot read the dead letters of queue '" + queue + "' on RabbitMQ at "
					+ this.url + ": " + AmqpErrors.describe(ex), ex);
		}
	}

}
