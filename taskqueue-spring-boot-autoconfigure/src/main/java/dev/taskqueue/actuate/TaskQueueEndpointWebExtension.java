package dev.taskqueue.actuate;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.Assert;

import dev.taskqueue.actuate.FleetDescriptors.ClusterDescriptor;
import dev.taskqueue.actuate.FleetDescriptors.TaskDescriptor;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link TaskQueueEndpoint}: shows
 * the arguments of running tasks to the web requests that {@link Show showValues} and the
 * roles allow, as Spring Boot's {@code env} endpoint does with property values.
 */
@EndpointWebExtension(endpoint = TaskQueueEndpoint.class)
public class TaskQueueEndpointWebExtension {

	private final TaskQueueEndpoint delegate;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Create a web extension.
	 * @param delegate the endpoint
	 * @param showValues when to show the arguments of running tasks
	 * @param roles the roles that may see them when {@code showValues} is
	 * {@link Show#WHEN_AUTHORIZED}; empty for every authenticated user
	 */
	public TaskQueueEndpointWebExtension(TaskQueueEndpoint delegate, Show showValues, Set<String> roles) {
		Assert.notNull(delegate, "'delegate' must not be null");
		Assert.notNull(showValues, "'showValues' must not be null");
		Assert.notNull(roles, "'roles' must not be null");
		this.delegate = delegate;
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
	}

	/**
	 * Describe the task queue and its worker as they are now.
	 * @param securityContext the security context of the request
	 * @return the description
	 */
	@ReadOperation
	public TaskQueueDescriptor taskQueue(SecurityContext securityContext) {
		return this.delegate.taskQueue(this.showValues.isShown(securityContext, this.roles));
	}

	/**
	 * Show a part of the fleet, {@code cluster}.
	 * @param securityContext the security context of the request
	 * @param section the part
	 * @return the description
	 */
	@ReadOperation
	public ClusterDescriptor section(SecurityContext securityContext, @Selector String section) {
		return this.delegate.section(section, this.showValues.isShown(securityContext, this.roles));
	}

	/**
	 * Show a task, {@code tasks/<id>}.
	 * @param securityContext the security context of the request
	 * @param section {@code tasks}
	 * @param id the task id
	 * @return the description
	 */
	@ReadOperation
	public TaskDescriptor item(SecurityContext securityContext, @Selector String section, @Selector String id) {
		return this.delegate.item(section, id, this.showValues.isShown(securityContext, this.roles));
	}

}
