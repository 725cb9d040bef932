package dev.taskqueue.broker.amqp;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Counts the deliveries handed out on each consumer channel that are not settled yet, and
 * keeps such a channel open until they are. A listener container closes its channel as soon
 * as it stops (or restarts a consumer), and RabbitMQ then hands the unacknowledged messages
 * to another consumer, although the worker may still be running them and about to
 * acknowledge them. The containers therefore get their channels through
 * {@link #wrap(ConnectionFactory)} ({@link DeferredCloseConnectionFactory}): closing such a
 * channel while deliveries on it are outstanding only records the close, which happens when
 * the last of them is settled, or at {@link #closeAll()}. A channel that is already closed
 * (connection lost) is not waited for.
 */
final class ConsumerChannels {

	private final Map<Channel, Use> uses = new IdentityHashMap<>();

	private boolean closed;

	/**
	 * Return a connection factory whose channels close only when their deliveries are settled.
	 * @param factory the connection factory to wrap
	 * @return the wrapping connection factory
	 */
	ConnectionFactory wrap(ConnectionFactory factory) {
		return new DeferredCloseConnectionFactory(factory, this);
	}

	/**
	 * A delivery was handed out on the channel (the client's channel, not a proxy).
	 * @param target the client's channel
	 */
	synchronized void delivered(Channel target) {
		this.uses.computeIfAbsent(target, (key) -> new Use()).outstanding++;
	}

	/**
	 * A delivery handed out on the channel was settled (or given up).
	 * @param target the client's channel
	 */
	void settled(Channel target) {
		Runnable close = null;
		synchronized (this) {
			Use use = this.uses.get(target);
			if (use != null && --use.outstanding <= 0) {
				this.uses.remove(target);
				close = use.close;
			}
		}
		if (close != null) {
			close.run();
		}
	}

	/**
	 * Record the close of a channel if deliveries on it are outstanding.
	 * @param target the client's channel
	 * @param close closes it
	 * @return whether the close was deferred; if not the caller closes the channel now
	 */
	synchronized boolean deferClose(Channel target, Runnable close) {
		Use use = this.uses.get(target);
		if (this.closed || use == null || use.outstanding <= 0 || !target.isOpen()) {
			return false;
		}
		use.close = close;
		return true;
	}

	/**
	 * Close now the channels whose close was deferred, and from now on close channels at
	 * once (a stopped container may close its channel a moment after it stopped). Their
	 * outstanding deliveries go back to RabbitMQ.
	 */
	void closeAll() {
		List<Runnable> closes = new ArrayList<>();
		synchronized (this) {
			this.closed = true;
			this.uses.values().forEach((use) -> {
				if (use.close != null) {
					closes.add(use.close);
				}
			});
			this.uses.values().removeIf((use) -> use.close != null);
		}
		closes.forEach(Runnable::run);
	}

	private static final class Use {

		int outstanding;

		@Nullable Runnable close;

	}

}
