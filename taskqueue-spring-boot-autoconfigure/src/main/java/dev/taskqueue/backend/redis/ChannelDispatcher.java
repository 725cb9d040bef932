package dev.taskqueue.backend.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * The thread that calls the listeners of {@link ResultChannels}, never Lettuce's network
 * thread: it decodes published metas and delivers them in the order Redis sent them, skips
 * payloads that are not task metas, and catches up after a reconnect by reading the keys of
 * the re-subscribed channels ({@code MGET}) and delivering their ready states (unless one
 * was delivered already).
 */
final class ChannelDispatcher {

	private static final Log logger = LogFactory.getLog(ChannelDispatcher.class);

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "taskqueue-redis-results");
		thread.setDaemon(true);
		return thread;
	});

	private final Function<String, @Nullable TaskChannel> channels;

	private final Function<List<String>, List<byte @Nullable []>> reader;

	private final ResultMetaCodec codec;

	private final String url;

	/** Channels to read again; only used on the dispatcher thread. */
	private final Set<String> resubscribed = new LinkedHashSet<>();

	ChannelDispatcher(Function<String, @Nullable TaskChannel> channels,
			Function<List<String>, List<byte @Nullable []>> reader, ResultMetaCodec codec, String url) {
		this.channels = channels;
		this.reader = reader;
		this.codec = codec;
		this.url = url;
	}

	/**
	 * Run a task on the dispatcher thread, after the ones already queued.
	 * @param task the task to run
	 */
	void execute(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// shut down
		}
	}

	/**
	 * Deliver a published message to the listeners the channel has by then.
	 * @param name the channel name
	 * @param message the published message
	 */
	void message(String name, byte[] message) {
		execute(() -> {
			TaskChannel channel = this.channels.apply(name);
			if (channel == null || !channel.hasListeners()) {
				return;
			}
			ResultMeta meta = decode(name, message);
			if (meta != null) {
				channel.deliver(meta);
			}
		});
	}

	/**
	 * Tell a registration that holds what its channel brings the value its key had, then what
	 * it held, after the messages queued so far.
	 * @param channel the channel
	 * @param registration the registration
	 * @param stored the value of the channel's key, or {@code null} when it was missing
	 */
	void release(TaskChannel channel, TaskChannel.Registration registration, byte @Nullable [] stored) {
		execute(() -> channel.release(registration, (stored != null) ? decode(channel.name(), stored) : null));
	}

	/**
	 * Read a channel's key again after it was re-subscribed. Called on the dispatcher thread;
	 * the confirmations of one re-subscribe are queued together, so they share one MGET.
	 * @param name the channel name
	 */
	void resubscribed(String name) {
		if (this.resubscribed.add(name) && this.resubscribed.size() == 1) {
			execute(this::catchUp);
		}
	}

	private void catchUp() {
		List<String> names = new ArrayList<>(this.resubscribed);
		this.resubscribed.clear();
		logger.debug("Subscriptions resumed after a reconnect to " + this.url + ", reading " + names.size()
				+ " results again");
		List<byte @Nullable []> values;
		try {
			values = this.reader.apply(names);
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot read results again after a reconnect: " + ex.getMessage());
			return;
		}
		for (int i = 0; i < names.size(); i++) {
			TaskChannel channel = this.channels.apply(names.get(i));
			byte[] value = values.get(i);
			ResultMeta meta = (channel != null && value != null) ? decode(channel.name(), value) : null;
			if (channel != null && meta != null && meta.isReady() && !channel.readyDelivered()) {
				channel.deliver(meta);
			}
		}
	}

	private @Nullable ResultMeta decode(String name, byte[] value) {
		try {
			return this.codec.decode(value);
		}
		catch (RuntimeException ex) {
			logger.warn("Skipping a value of " + name + " that is not a task meta: " + ex.getMessage());
			return null;
		}
	}

	void shutdown() {
		this.executor.shutdown();
	}

}
