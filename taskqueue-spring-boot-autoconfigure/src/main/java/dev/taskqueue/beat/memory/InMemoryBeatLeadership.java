package dev.taskqueue.beat.memory;

import dev.taskqueue.beat.BeatLeadership;

/**
 * Beat leadership for the in-memory broker, which only this process sees: it always leads.
 */
public class InMemoryBeatLeadership implements BeatLeadership {

	/**
	 * Create the leadership.
	 */
	public InMemoryBeatLeadership() {
	}

	@Override
	public boolean tryLead() {
		return true;
	}

	@Override
	public void release() {
	}

	@Override
	public String describe() {
		return "memory (this instance alone)";
	}

}
