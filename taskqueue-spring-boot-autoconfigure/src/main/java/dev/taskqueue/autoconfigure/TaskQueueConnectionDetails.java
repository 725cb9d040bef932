package dev.taskqueue.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * The broker and result backend coordinates, as Celery-style URLs. By default they come from
 * {@code taskqueue.broker.url} and {@code taskqueue.backend.url}; a bean of this type supplies
 * them instead, for a test container or a platform that knows them. The transport is still
 * chosen by the scheme of {@code taskqueue.broker.url} (or the application's own connection
 * when it is not set), so a URL supplied here must name the same transport.
 */
public interface TaskQueueConnectionDetails extends ConnectionDetails {

	/**
	 * The broker URL, such as {@code redis://:secret@host:6379/0}.
	 * @return the URL, or {@code null} when none is configured
	 */
	@Nullable String brokerUrl();

	/**
	 * The result backend URL, such as {@code redis://host:6379/1} or {@code rpc://}.
	 * @return the URL, or {@code null} when none is configured
	 */
	@Nullable String backendUrl();

}
