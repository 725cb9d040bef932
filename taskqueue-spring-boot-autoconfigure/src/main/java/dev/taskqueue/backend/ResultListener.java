package dev.taskqueue.backend;

import dev.taskqueue.protocol.ResultMeta;

/**
 * Receives the states stored for a task.
 */
@FunctionalInterface
public interface ResultListener {

	void onResult(ResultMeta meta);

}
