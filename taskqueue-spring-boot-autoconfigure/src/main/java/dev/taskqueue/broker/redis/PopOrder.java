package dev.taskqueue.broker.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The lists a consumer pops from, in kombu's order: by priority step first, then by queue
 * ({@code q1 q2 q1\x06\x163 q2\x06\x163 ...}). Queues take turns as with kombu's default
 * {@code round_robin} strategy: a queue that delivered moves behind the others. Used by the
 * consumer thread only.
 */
final class PopOrder {

	private final RedisKeys keys;

	private final List<String> queues;

	private byte[][] listKeys = new byte[0][];

	private byte[][] scriptKeys = new byte[0][];

	private String[] queueOfList = new String[0];

	private byte[][] queueArgs = new byte[0][];

	private final Map<String, Integer> listIndex = new HashMap<>();

	PopOrder(RedisKeys keys, List<String> queues) {
		this.keys = keys;
		this.queues = new ArrayList<>(queues);
		rebuild();
	}

	private void rebuild() {
		int size = RedisKeys.STEPS.length * this.queues.size();
		this.listKeys = new byte[size][];
		this.scriptKeys = new byte[2 * size + 2][];
		this.queueOfList = new String[size];
		this.queueArgs = new byte[size][];
		this.listIndex.clear();
		this.scriptKeys[0] = this.keys.unacked();
		this.scriptKeys[1] = this.keys.unackedIndex();
		int i = 0;
		for (int step : RedisKeys.STEPS) {
			for (String queue : this.queues) {
				byte[] key = this.keys.key(RedisKeys.listName(queue, step));
				this.listKeys[i] = key;
				this.scriptKeys[i + 2] = key;
				this.scriptKeys[size + i + 2] = this.keys.deadLetters(queue);
				this.queueOfList[i] = queue;
				this.queueArgs[i] = RedisKeys.bytes(queue);
				this.listIndex.put(RedisKeys.string(key), i);
				i++;
			}
		}
	}

	/**
	 * Return the list keys for {@code BRPOP}.
	 * @return the list keys
	 */
	byte[][] listKeys() {
		return this.listKeys;
	}

	/**
	 * Return the keys of {@link KombuScripts#POP}: unacked, unacked_index, then the lists.
	 * @return the script keys
	 */
	byte[][] scriptKeys() {
		return this.scriptKeys;
	}

	/**
	 * Return the queue names per list, the trailing arguments of {@link KombuScripts#POP}.
	 * @return the queue names per list
	 */
	byte[][] queueArgs() {
		return this.queueArgs;
	}

	/**
	 * Return the queue of the list with the given (0-based) number.
	 * @param index the (0-based) number of the list
	 * @return the queue name
	 */
	String queueOfList(int index) {
		return this.queueOfList[index];
	}

	/**
	 * Return the (0-based) number of a list key, or -1.
	 * @param listKey the list key
	 * @return the number of the list, or -1 when it is not one of the lists
	 */
	int indexOf(byte[] listKey) {
		Integer index = this.listIndex.get(RedisKeys.string(listKey));
		return (index != null) ? index : -1;
	}

	/**
	 * Move the queues that just delivered behind the others, in the order they delivered.
	 * @param delivered the messages just popped
	 */
	void rotate(List<Popped> delivered) {
		if (this.queues.size() < 2 || delivered.isEmpty()) {
			return;
		}
		boolean changed = false;
		for (Popped popped : delivered) {
			int at = this.queues.indexOf(popped.queue());
			if (at >= 0 && at < this.queues.size() - 1) {
				this.queues.add(this.queues.remove(at));
				changed = true;
			}
		}
		if (changed) {
			rebuild();
		}
	}

	/**
	 * A popped message.
	 *
	 * @param queue the queue it came from
	 * @param envelope the envelope bytes exactly as popped
	 * @param tag the delivery tag it is recorded under in {@code unacked}, or {@code null}
	 * when it could not be recorded (not a JSON envelope with a delivery tag)
	 */
	record Popped(String queue, byte[] envelope, @Nullable String tag) {

		/**
		 * Return the envelope text.
		 * @return the envelope text
		 */
		String text() {
			return RedisKeys.string(this.envelope);
		}

	}

}
