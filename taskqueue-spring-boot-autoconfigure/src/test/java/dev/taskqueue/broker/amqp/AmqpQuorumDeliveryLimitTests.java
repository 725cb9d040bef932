package dev.taskqueue.broker.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A quorum queue whose own dead-lettering (its {@code x-delivery-limit}) is routed to its
 * dead-letter queue through the default exchange, on the real RabbitMQ: the dead-letter queue
 * is declared with the queue, so nothing RabbitMQ dead-letters is dropped, and a message
 * returned more often than the limit lands there, listed with RabbitMQ's reason.
 */
class AmqpQuorumDeliveryLimitTests {

	@RegisterExtension
	final AmqpTestSupport rabbit = new AmqpTestSupport("dlimit-");

	@Test
	void messageOverTheDeliveryLimitLandsInTheDeadLetterQueue() throws IOException {
		String name = this.rabbit.name("votes");
		QueueSpec queue = new QueueSpec(name, name, ExchangeType.DIRECT, name, true, null,
				Map.of("x-queue-type", "quorum", "x-delivery-limit", 1, "x-dead-letter-exchange", "",
						"x-dead-letter-routing-key", name + ".dead-letter"));
		assertThat(AmqpDeclarations.deadLettersToItsDeadLetterQueue(queue)).isTrue();
		AmqpBroker broker = this.rabbit.broker(new AmqpTransportOptions(RabbitServer.MASKED_URL,
				Map.of(name, queue), true, AmqpTransportOptions.DEFAULT_CONFIRM_TIMEOUT));
		broker.publish(AmqpTestSupport.message(queue, "over-the-limit", 0));
		Channel channel = this.rabbit.channel();
		assertThat(channel.queueDeclarePassive(name + ".dead-letter").getMessageCount())
			.as("declared with the queue").isZero();
		for (int returned = 1; returned <= 2; returned++) {
			GetResponse response = await().atMost(Duration.ofSeconds(10)).until(() -> channel.basicGet(name, false),
					(got) -> got != null);
			channel.basicReject(response.getEnvelope().getDeliveryTag(), true);
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(broker.deadLetters(name, 10)).singleElement().satisfies((letter) -> {
				assertThat(letter.taskId()).isEqualTo("over-the-limit");
				assertThat(letter.reason()).isEqualTo("Dead-lettered by RabbitMQ (delivery_limit)");
			}));
		assertThat(broker.size(name)).isZero();
	}

	@Test
	void otherQueuesGetNoDeadLetterQueueDeclaredWithThem() throws IOException {
		String name = this.rabbit.name("plain");
		QueueSpec queue = new QueueSpec(name, name, ExchangeType.DIRECT, name, true, null,
				Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", "elsewhere"));
		assertThat(AmqpDeclarations.deadLettersToItsDeadLetterQueue(queue)).isFalse();
		assertThat(AmqpDeclarations.deadLettersToItsDeadLetterQueue(QueueSpec.defaults(name))).isFalse();
		AmqpBroker broker = this.rabbit.broker(new AmqpTransportOptions(RabbitServer.MASKED_URL,
				Map.of(name, queue), true, AmqpTransportOptions.DEFAULT_CONFIRM_TIMEOUT));
		broker.publish(AmqpTestSupport.message(queue, "plain", 0));
		assertThat(this.rabbit.admin.getQueueProperties(name + ".dead-letter")).isNull();
	}

}
