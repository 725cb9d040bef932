package dev.taskqueue.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis key names of kombu's Redis transport with its defaults: separator
 * {@code "\x06\x16"}, priority steps 0, 3, 6 and 9, the {@code unacked*} keys, and the
 * global key prefix in front of every key (never in front of set members or hash fields).
 */
final class RedisKeys {

	/** Kombu's {@code sep}: joins a queue name and its priority step, and binding fields. */
	static final String SEP = "\u0006\u0016";

	/** Kombu's default {@code priority_steps}. */
	static final int[] STEPS = { 0, 3, 6, 9 };

	private final String prefix;

	private final byte[] unacked;

	private final byte[] unackedIndex;

	private final byte[] unackedMutex;

	RedisKeys(String prefix) {
		this.prefix = prefix;
		this.unacked = key("unacked");
		this.unackedIndex = key("unacked_index");
		this.unackedMutex = key("unacked_mutex");
	}

	/**
	 * Return the {@code unacked} hash: delivery tag to {@code [envelope, exchange, routing key]}.
	 * @return the key of the hash
	 */
	byte[] unacked() {
		return this.unacked;
	}

	/**
	 * Return the {@code unacked_index} sorted set: delivery tag scored by delivery time.
	 * @return the key of the sorted set
	 */
	byte[] unackedIndex() {
		return this.unackedIndex;
	}

	/**
	 * Return the {@code unacked_mutex} lock that serializes restores of visible messages.
	 * @return the key of the lock
	 */
	byte[] unackedMutex() {
		return this.unackedMutex;
	}

	/**
	 * Return the priority step of a message priority, as kombu maps it: clamped to 0..9, then
	 * the largest step not above it.
	 * @param priority the message priority
	 * @return the priority step
	 */
	static int step(int priority) {
		int clamped = Math.max(0, Math.min(9, priority));
		int step = 0;
		for (int candidate : STEPS) {
			if (candidate <= clamped) {
				step = candidate;
			}
		}
		return step;
	}

	/**
	 * Return the name (without prefix) of the list of a queue for a priority step.
	 * @param queue the queue name
	 * @param step the priority step
	 * @return the list name
	 */
	static String listName(String queue, int step) {
		return (step != 0) ? queue + SEP + step : queue;
	}

	/**
	 * Return the list key of a queue that holds messages of the given priority.
	 * @param queue the queue name
	 * @param priority the message priority
	 * @return the list key
	 */
	byte[] list(String queue, int priority) {
		return key(listName(queue, step(priority)));
	}

	/**
	 * Return the list keys of a queue, one per priority step.
	 * @param queue the queue name
	 * @return the list keys
	 */
	List<byte[]> lists(String queue) {
		List<byte[]> keys = new ArrayList<>(STEPS.length);
		for (int step : STEPS) {
			keys.add(key(listName(queue, step)));
		}
		return keys;
	}

	/**
	 * Return the binding set of an exchange ({@code _kombu.binding.<exchange>}).
	 * @param exchange the exchange name
	 * @return the key of the binding set
	 */
	byte[] binding(String exchange) {
		return key("_kombu.binding." + exchange);
	}

	/**
	 * Return a binding set member: routing key, pattern and queue joined by the separator.
	 * @param routingKey the routing key
	 * @param pattern the pattern
	 * @param queue the queue name
	 * @return the member
	 */
	static byte[] bindingMember(String routingKey, String pattern, String queue) {
		return bytes(routingKey + SEP + pattern + SEP + queue);
	}

	/**
	 * Return the pub/sub channel of a fanout exchange as kombu 5.2.4 names it with its
	 * defaults ({@code fanout_prefix} and {@code fanout_patterns} on), after the global
	 * prefix: {@code /<db>.<exchange>}, or {@code /<db>.<exchange>/<routing key>} when the
	 * routing key is not empty. Subscribers use the same form as a pattern.
	 * @param db the database number of the broker
	 * @param exchange the exchange name
	 * @param routingKey the routing key, or the binding key with {@code #} as {@code *}
	 * @return the channel name or pattern
	 */
	byte[] fanout(int db, String exchange, String routingKey) {
		String channel = "/" + db + "." + exchange;
		return key(routingKey.isEmpty() ? channel : channel + "/" + routingKey);
	}

	/**
	 * Return a received channel name without the global prefix and the fanout prefix (up to
	 * the first {@code .}, as kombu strips it): {@code <exchange>} or
	 * {@code <exchange>/<routing key>}.
	 * @param channel the channel name
	 * @return the exchange and routing key part
	 */
	String fanoutPart(String channel) {
		String name = channel.startsWith(this.prefix) ? channel.substring(this.prefix.length()) : channel;
		if (name.startsWith("/")) {
			int dot = name.indexOf('.');
			return (dot >= 0) ? name.substring(dot + 1) : "";
		}
		return name;
	}

	/**
	 * Return the list that holds the dead letters of a queue.
	 * @param queue the queue name
	 * @return the key of the list
	 */
	byte[] deadLetters(String queue) {
		return key(queue + ".dead-letter");
	}

	/**
	 * Return the counter of a message's redeliveries ({@code _taskqueue.deliveries.<tag>}), a
	 * key of this library that kombu does not know.
	 * @param tag the delivery tag of the message
	 * @return the key of the counter
	 */
	byte[] deliveries(String tag) {
		return key("_taskqueue.deliveries." + tag);
	}

	/**
	 * Return a key with the global prefix.
	 * @param name the key name without prefix
	 * @return the key
	 */
	byte[] key(String name) {
		return bytes(this.prefix + name);
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	static String string(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

}
