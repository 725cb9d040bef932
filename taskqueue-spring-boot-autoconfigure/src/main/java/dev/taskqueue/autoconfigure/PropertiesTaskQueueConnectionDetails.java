package dev.taskqueue.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The {@link TaskQueueConnectionDetails} of {@code taskqueue.broker.url} and
 * {@code taskqueue.backend.url}.
 */
final class PropertiesTaskQueueConnectionDetails implements TaskQueueConnectionDetails {

	private final TaskQueueProperties properties;

	PropertiesTaskQueueConnectionDetails(TaskQueueProperties properties) {
		this.properties = properties;
	}

	@Override
	public @Nullable String brokerUrl() {
		return this.properties.getBroker().getUrl();
	}

	@Override
	public @Nullable String backendUrl() {
		return this.properties.getBackend().getUrl();
	}

}
