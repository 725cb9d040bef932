package dev.taskqueue.backend.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.backend.ResultListener;
import dev.taskqueue.protocol.ResultMeta;

/**
 * One subscribed channel {@code celery-task-meta-<id>} of {@link ResultChannels}: its
 * listeners, the {@code SUBSCRIBE} that activates it and how often Redis confirmed it.
 */
final class TaskChannel {

	private static final Log logger = LogFactory.getLog(TaskChannel.class);

	private final String name;

	private final List<Registration> registrations = new CopyOnWriteArrayList<>();

	private final AtomicInteger confirmations = new AtomicInteger();

	private volatile CompletableFuture<Void> activation = new CompletableFuture<>();

	private volatile boolean readyDelivered;

	TaskChannel(String name) {
		this.name = name;
	}

	String name() {
		return this.name;
	}

	/**
	 * Return the {@code SUBSCRIBE} command, complete once Redis confirmed it.
	 * @return the subscription, complete once confirmed
	 */
	CompletableFuture<Void> activation() {
		return this.activation;
	}

	void activateWith(CompletableFuture<Void> subscribe) {
		this.activation = subscribe;
	}

	/**
	 * Count a subscribe confirmation of this channel.
	 * @return whether it was one after the first, so a re-subscribe after a reconnect
	 */
	boolean confirmedAgain() {
		return this.confirmations.incrementAndGet() > 1;
	}

	/**
	 * Add a listener.
	 * @param listener the listener
	 * @param hold whether to hold what the channel brings until {@link #release}
	 * @return the registration
	 */
	Registration add(ResultListener listener, boolean hold) {
		Registration registration = new Registration(listener, hold);
		this.registrations.add(registration);
		return registration;
	}

	/**
	 * Remove a registration once.
	 * @param registration the registration
	 * @return whether it was removed now and no listener is left
	 */
	boolean removeLast(Registration registration) {
		return registration.active.compareAndSet(true, false) && this.registrations.remove(registration)
				&& this.registrations.isEmpty();
	}

	boolean hasListeners() {
		return !this.registrations.isEmpty();
	}

	/**
	 * Return whether a ready state was delivered already, so catching up has nothing to add.
	 * @return whether a ready state was delivered
	 */
	boolean readyDelivered() {
		return this.readyDelivered;
	}

	/**
	 * Call every listener, one after the other; a failing listener does not stop the others.
	 * @param meta the result meta to deliver
	 */
	void deliver(ResultMeta meta) {
		this.readyDelivered |= meta.isReady();
		for (Registration registration : this.registrations) {
			if (registration.held != null) {
				registration.held.add(meta);
				continue;
			}
			boolean late = meta.equals(registration.late);
			registration.late = null;
			if (!late) {
				tell(registration, meta);
			}
		}
	}

	/**
	 * Tell a registration that held what the channel brought the value its key had when the
	 * subscription started, unless the channel brought it too, then what it held. Called on
	 * the dispatcher thread once every message published before the key was read was
	 * delivered, or once that could not be known in time (then, and in a cluster, where a
	 * message published on another node may come later, the value read could still arrive:
	 * the next message is dropped when it equals it).
	 * @param registration the registration
	 * @param stored the value of the key, or {@code null} when it was missing or not a meta
	 */
	void release(Registration registration, @Nullable ResultMeta stored) {
		List<ResultMeta> held = registration.held;
		registration.held = null;
		if (held == null) {
			return;
		}
		if (stored != null && !held.contains(stored)) {
			registration.late = stored;
			tell(registration, stored);
		}
		held.forEach((meta) -> tell(registration, meta));
	}

	private void tell(Registration registration, ResultMeta meta) {
		if (!registration.active.get()) {
			return;
		}
		try {
			registration.listener.onResult(meta);
		}
		catch (RuntimeException ex) {
			logger.warn("Result listener of " + this.name + " failed", ex);
		}
	}

	/** A listener, registered once per subscription even when the same listener is used twice. */
	static final class Registration {

		private final ResultListener listener;

		private final AtomicBoolean active = new AtomicBoolean(true);

		/** What the channel brought before the key was read; only used on the dispatcher thread. */
		private @Nullable List<ResultMeta> held;

		/** The value read, told before the messages that came after it; only used on the dispatcher thread. */
		private @Nullable ResultMeta late;

		private Registration(ResultListener listener, boolean hold) {
			this.listener = listener;
			this.held = hold ? new ArrayList<>() : null;
		}

	}

}
