package dev.taskqueue.broker.memory;

/**
 * AMQP topic matching: words separated by {@code .}; in a binding key {@code *} stands for
 * exactly one word and {@code #} for zero or more words.
 */
final class TopicPattern {

	private TopicPattern() {
	}

	/**
	 * Whether a routing key matches a binding key.
	 * @param bindingKey the binding key, such as {@code task.#} or {@code *.succeeded}
	 * @param routingKey the routing key, such as {@code task.succeeded}
	 * @return whether a message with this routing key is routed to the binding
	 */
	static boolean matches(String bindingKey, String routingKey) {
		String[] pattern = bindingKey.split("\\.", -1);
		String[] words = routingKey.split("\\.", -1);
		return matches(pattern, 0, words, 0, new Boolean[pattern.length + 1][words.length + 1]);
	}

	// Memoized, so that patterns with many '#' stay linear in the product of the lengths
	private static boolean matches(String[] pattern, int p, String[] words, int w, Boolean[][] memo) {
		Boolean known = memo[p][w];
		if (known != null) {
			return known;
		}
		boolean result;
		if (p == pattern.length) {
			result = (w == words.length);
		}
		else if (pattern[p].equals("#")) {
			result = matches(pattern, p + 1, words, w, memo)
					|| (w < words.length && matches(pattern, p, words, w + 1, memo));
		}
		else {
			result = w < words.length && (pattern[p].equals("*") || pattern[p].equals(words[w]))
					&& matches(pattern, p + 1, words, w + 1, memo);
		}
		memo[p][w] = result;
		return result;
	}

}
