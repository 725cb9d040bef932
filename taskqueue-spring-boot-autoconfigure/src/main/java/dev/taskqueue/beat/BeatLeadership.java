package dev.taskqueue.beat;

/**
 * Who sends the periodic tasks: among all the instances that enable beat, exactly one leads at
 * a time, for a lease it renews; when it dies, another takes over once the lease ran out.
 * Implementations are thread-safe.
 */
public interface BeatLeadership {

	/**
	 * Become the leader, or stay it. The scheduler calls this well within each lease.
	 * @return whether this instance leads now; {@code false} when another one does, or when the
	 * store of the lease cannot be reached (an instance that cannot renew must stop sending)
	 */
	boolean tryLead();

	/**
	 * Give up leading, if this instance leads, so that another takes over at once.
	 */
	void release();

	/**
	 * Return a description of where the lease is kept, for the actuator and logs.
	 * @return the description, such as {@code redis taskqueue.beat.leader}
	 */
	String describe();

}
