package dev.taskqueue.autoconfigure;

/**
 * The private connections taskqueue builds from its URLs, as named to customizers.
 */
public enum TaskQueueConnection {

	/** The connection built from {@code taskqueue.broker.url}. */
	BROKER,

	/** The connection built from {@code taskqueue.backend.url}. */
	BACKEND

}
