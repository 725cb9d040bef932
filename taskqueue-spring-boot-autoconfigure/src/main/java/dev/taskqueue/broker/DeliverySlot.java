package dev.taskqueue.broker;

/**
 * The slot one delivery holds in a {@link PrefetchWindow}: given back when the delivery is
 * {@link #defer() deferred} or settled, taken again when it is {@link #resume() resumed}.
 * Thread-safe; each change happens at most once per state.
 */
public final class DeliverySlot {

	private final PrefetchWindow window;

	private State state = State.HELD;

	DeliverySlot(PrefetchWindow window) {
		this.window = window;
	}

	/**
	 * Give the slot back while the delivery waits unsettled.
	 * @return {@code true}, unless the delivery was deferred or settled already
	 */
	public boolean defer() {
		synchronized (this) {
			if (this.state != State.HELD) {
				return false;
			}
			this.state = State.DEFERRED;
		}
		this.window.release(1);
		return true;
	}

	/** Take a slot again for a deferred delivery. */
	public void resume() {
		synchronized (this) {
			if (this.state != State.DEFERRED) {
				return;
			}
			this.state = State.HELD;
		}
		this.window.shrink();
	}

	/** The delivery was settled: give the slot back unless it was deferred. */
	public void free() {
		boolean held;
		synchronized (this) {
			held = this.state == State.HELD;
			this.state = State.FREED;
		}
		if (held) {
			this.window.release(1);
		}
	}

	private enum State {

		HELD, DEFERRED, FREED

	}

}
