package dev.taskqueue.core;

import java.time.Duration;

import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;

/**
 * Hears each task message a {@link TaskTemplate} publishes: for Celery's {@code task-sent}
 * event and for publish metrics. Called on the sending thread once the broker took the
 * message (or refused it); implementations must be thread-safe and quick. What they throw
 * is logged and ignored.
 */
public interface TaskPublishListener {

	/**
	 * A task message was published.
	 * @param message the message
	 * @param destination where it went
	 * @param elapsed how long the broker took to take it
	 */
	default void published(TaskMessage message, Destination destination, Duration elapsed) {
	}

	/**
	 * Publishing a task message failed; the sender gets a {@link TaskSendException}.
	 * @param message the message
	 * @param failure why
	 * @param elapsed how long the attempt took
	 */
	default void publishFailed(TaskMessage message, Throwable failure, Duration elapsed) {
	}

}
