package dev.taskqueue.broker.amqp;

import java.io.Serial;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Envelope;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Hands the listener the client's {@link BasicProperties} untouched. Spring's default
 * converter would turn an absent content type into {@code application/octet-stream}, move
 * {@code x-delay} and {@code x-death}, and keep long strings as {@code LongString}; the
 * deliveries read Celery's properties and headers themselves.
 */
final class RawPropertiesConverter implements MessagePropertiesConverter {

	private final MessagePropertiesConverter outbound = new DefaultMessagePropertiesConverter();

	@Override
	public MessageProperties toMessageProperties(BasicProperties source, @Nullable Envelope envelope,
			String charset) {
		RawProperties target = new RawProperties(source);
		if (envelope != null) {
			target.setDeliveryTag(envelope.getDeliveryTag());
			target.setRedelivered(envelope.isRedeliver());
			target.setReceivedExchange(envelope.getExchange());
			target.setReceivedRoutingKey(envelope.getRoutingKey());
		}
		return target;
	}

	@Override
	public BasicProperties fromMessageProperties(MessageProperties source, String charset) {
		return this.outbound.fromMessageProperties(source, charset);
	}

	/** Spring's message properties carrying the client's. */
	static final class RawProperties extends MessageProperties {

		@Serial
		private static final long serialVersionUID = 1L;

		private final transient BasicProperties amqp;

		RawProperties(BasicProperties amqp) {
			this.amqp = amqp;
		}

		BasicProperties amqp() {
			return this.amqp;
		}

	}

}
