package dev.taskqueue.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.TaskHeaders;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;

/**
 * A {@link Broker} that decodes and keeps what is published and delivers nothing.
 */
final class RecordingBroker extends PublishOnlyBroker {

	private final WireRoundTrip wire;

	private final List<SentTask> sent = Collections.synchronizedList(new ArrayList<>());

	RecordingBroker(MessageCodec codec) {
		super("recording://");
		this.wire = new WireRoundTrip(codec);
	}

	@Override
	public void publish(OutboundMessage outbound) {
		String taskName = String.valueOf(outbound.message().headers().get("task"));
		TaskMessage message = this.wire.decode(outbound.message(), taskName);
		TaskHeaders headers = message.headers();
		Destination destination = outbound.destination();
		List<Object> args = Collections.unmodifiableList(new ArrayList<>(message.args()));
		this.sent.add(new SentTask(message.id(), message.task(), args,
				Collections.unmodifiableMap(message.kwargs()), destination.exchange(), destination.routingKey(),
				(destination.queue() != null) ? destination.queue().name() : null, headers.eta(), headers.expires(),
				message.properties().priority(), Collections.unmodifiableMap(headers.extra()), headers.parentId()));
	}

	List<SentTask> sent() {
		synchronized (this.sent) {
			return Collections.unmodifiableList(new ArrayList<>(this.sent));
		}
	}

	void clear() {
		this.sent.clear();
	}

	MessageCodec codec() {
		return this.wire.codec();
	}

}
