package dev.taskqueue.client;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of asking the live workers whether they register the tasks the task clients
 * send ({@link TaskClientVerifier}).
 *
 * @param checkedAt when the workers were asked
 * @param workers the node names of the workers that answered, sorted; empty when none did
 * @param methods the number of client methods checked
 * @param missing the client methods whose task no worker that answered registers
 * @param unconsumed the client methods naming a queue that no worker registering their task
 * consumes (they would wait there)
 * @param error why the workers could not be asked, or {@code null}
 */
public record TaskClientVerification(Instant checkedAt, List<String> workers, int methods,
		List<TaskClientMethod> missing, List<TaskClientMethod> unconsumed, @Nullable String error) {

	/**
	 * Return whether every client method's task is registered by a worker that answered, one
	 * that consumes the method's queue when it names one; false when no worker answered.
	 * @return whether the clients are verified
	 */
	public boolean verified() {
		return this.error == null && !this.workers.isEmpty() && this.missing.isEmpty() && this.unconsumed.isEmpty();
	}

}
