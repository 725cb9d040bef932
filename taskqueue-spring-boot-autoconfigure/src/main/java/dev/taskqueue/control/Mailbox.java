package dev.taskqueue.control;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;

import dev.taskqueue.broker.BroadcastExchange;
import dev.taskqueue.broker.BroadcastQueue;
import dev.taskqueue.routing.ExchangeType;

/**
 * The entities of kombu's {@code Mailbox} for one control exchange ({@code celery} unless
 * Celery's {@code control_exchange} says otherwise): requests on the fanout exchange
 * {@code celery.pidbox}, replies on the direct exchange {@code reply.celery.pidbox}, and the
 * queues of nodes and clients with Celery's {@code control_queue_expires} (10 s) and
 * {@code control_queue_ttl} (300 s).
 *
 * @param controlExchange the control exchange's name
 */
record Mailbox(String controlExchange) {

	/** Celery's default {@code control_exchange}. */
	static final String DEFAULT_CONTROL_EXCHANGE = "celery";

	private static final Map<String, Object> QUEUE_ARGUMENTS = queueArguments();

	Mailbox {
		Assert.hasText(controlExchange, "'controlExchange' must not be empty");
	}

	BroadcastExchange requests() {
		return new BroadcastExchange(this.controlExchange + ".pidbox", ExchangeType.FANOUT, false);
	}

	BroadcastExchange replies() {
		return new BroadcastExchange("reply." + this.controlExchange + ".pidbox", ExchangeType.DIRECT, false);
	}

	BroadcastQueue nodeQueue(String nodeName) {
		return new BroadcastQueue(nodeName + "." + this.controlExchange + ".pidbox", "", QUEUE_ARGUMENTS);
	}

	BroadcastQueue replyQueue(String oid) {
		return new BroadcastQueue(oid + ".reply." + this.controlExchange + ".pidbox", oid, QUEUE_ARGUMENTS);
	}

	// x-expires first, then x-message-ttl, as kombu declares them (int values, "signedint" on AMQP)
	private static Map<String, Object> queueArguments() {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("x-expires", 10_000);
		arguments.put("x-message-ttl", 300_000);
		return arguments;
	}

}
