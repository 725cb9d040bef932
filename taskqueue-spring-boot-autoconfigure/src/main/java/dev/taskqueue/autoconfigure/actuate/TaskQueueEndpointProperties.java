package dev.taskqueue.autoconfigure.actuate;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.taskqueue.actuate.TaskQueueEndpoint;

/**
 * Configuration properties for the {@link TaskQueueEndpoint}, under
 * {@code management.endpoint.taskqueue}, as Spring Boot's {@code management.endpoint.env}.
 */
@ConfigurationProperties("management.endpoint.taskqueue")
public class TaskQueueEndpointProperties {

	/**
	 * When to show the arguments of running tasks (as truncated Python reprs); hidden as
	 * "******" otherwise.
	 */
	private Show showValues = Show.NEVER;

	/**
	 * Roles used to determine whether a user is authorized to be shown the arguments of
	 * running tasks. When empty, all authenticated users are authorized.
	 */
	private final Set<String> roles = new LinkedHashSet<>();

	public Show getShowValues() {
		return this.showValues;
	}

	public void setShowValues(Show showValues) {
		this.showValues = showValues;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

}
