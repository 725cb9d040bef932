package dev.taskqueue.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The default {@link TaskRouter}, with Celery's rules: the queue the caller names wins; else the
 * first route ({@code task_routes}) whose pattern matches the task; else the queue a local
 * {@code @CeleryTask} declares; else the default queue. A queue that is not configured is
 * created with Celery's defaults unless {@code createMissingQueues} is off. A direct queue is
 * published to through the default exchange with its name as routing key, as Celery does,
 * unless a route names both an exchange and a routing key.
 */
public class DefaultTaskRouter implements TaskRouter {

	private final String defaultQueue;

	private final Map<String, QueueSpec> queues;

	private final List<RouteRule> routes;

	private final boolean createMissingQueues;

	private final @Nullable Integer defaultMaxPriority;

	private final Map<String, String> taskQueues = new ConcurrentHashMap<>();

	/**
	 * Create a router.
	 * @param defaultQueue the queue of tasks with no other route
	 * @param queues the configured queues by name
	 * @param routes the routes, tried in order
	 * @param createMissingQueues whether queues that are not configured are accepted
	 * @param defaultMaxPriority the {@code x-max-priority} of queues created with defaults, or
	 * {@code null}
	 */
	public DefaultTaskRouter(String defaultQueue, Map<String, QueueSpec> queues, List<RouteRule> routes,
			boolean createMissingQueues, @Nullable Integer defaultMaxPriority) {
		Assert.hasText(defaultQueue, "'defaultQueue' must not be empty");
		this.defaultQueue = defaultQueue;
		this.queues = new LinkedHashMap<>(queues);
		this.routes = List.copyOf(routes);
		this.createMissingQueues = createMissingQueues;
		this.defaultMaxPriority = defaultMaxPriority;
	}

	/**
	 * A router with only a default queue, creating other queues as they are named.
	 * @param defaultQueue the default queue
	 * @return the router
	 */
	public static DefaultTaskRouter withDefaultQueue(String defaultQueue) {
		return new DefaultTaskRouter(defaultQueue, Map.of(), List.of(), true, null);
	}

	/**
	 * Route a task to a queue unless the caller or a route names another one.
	 * @param taskName the task name
	 * @param queue the queue
	 */
	@Override
	public void registerTaskQueue(String taskName, String queue) {
		this.taskQueues.put(taskName, queue);
	}

	@Override
	public Destination route(String taskName, @Nullable String queue) {
		if (!StringUtils.hasText(taskName)) {
			throw new NoSuchRouteException("A task name is required");
		}
		if (StringUtils.hasText(queue)) {
			return toQueue(taskName, queue, null);
		}
		RouteRule rule = this.routes.stream().filter((route) -> route.matches(taskName)).findFirst().orElse(null);
		if (rule != null && rule.queue() == null) {
			String exchange = rule.exchange();
			return new Destination(exchange, (rule.routingKey() != null) ? rule.routingKey() : taskName);
		}
		String target = (rule != null) ? rule.queue() : this.taskQueues.getOrDefault(taskName, this.defaultQueue);
		return toQueue(taskName, target, rule);
	}

	private Destination toQueue(String taskName, String queueName, @Nullable RouteRule rule) {
		QueueSpec spec = find(queueName);
		if (spec == null) {
			throw new NoSuchRouteException("No route for task '" + taskName + "': queue '" + queueName
					+ "' is not declared and missing queues are not created");
		}
		String exchange = (rule != null) ? rule.exchange() : null;
		String routingKey = (rule != null) ? rule.routingKey() : null;
		if ((exchange == null || routingKey == null) && spec.exchangeType() == ExchangeType.DIRECT) {
			return Destination.queue(spec);
		}
		return new Destination((exchange != null) ? exchange : spec.exchange(),
				(routingKey != null) ? routingKey : spec.routingKey(), spec);
	}

	/**
	 * The queue of the given name as it is declared: configured, or with Celery's defaults.
	 * @param name the queue name
	 * @return the queue
	 * @throws NoSuchRouteException when the queue is not configured and may not be created
	 */
	public QueueSpec queue(String name) {
		QueueSpec spec = find(name);
		if (spec == null) {
			throw new NoSuchRouteException("Queue '" + name + "' is not declared and missing queues are not created");
		}
		return spec;
	}

	private @Nullable QueueSpec find(String name) {
		QueueSpec configured = this.queues.get(name);
		if (configured != null) {
			return configured;
		}
		if (!this.createMissingQueues && !name.equals(this.defaultQueue)) {
			return null;
		}
		return QueueSpec.defaults(name).withDefaultMaxPriority(this.defaultMaxPriority);
	}

}
