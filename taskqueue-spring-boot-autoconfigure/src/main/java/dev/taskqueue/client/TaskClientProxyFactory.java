package dev.taskqueue.client;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringValueResolver;

import dev.taskqueue.core.TaskOperations;

/**
 * Creates {@link TaskClient} proxies that send their tasks through a {@link TaskOperations},
 * as {@code HttpServiceProxyFactory} does for HTTP interfaces. Each interface is read and
 * checked when its client is created: a method that cannot send a task throws a
 * {@link TaskClientDeclarationException} naming it. The auto-configuration provides one as a
 * bean; create one by hand for clients of another template:
 *
 * <pre class="code">
 * TaskClientProxyFactory factory = TaskClientProxyFactory.builder(tasks).defaultTimeout(Duration.ofSeconds(10)).build();
 * Billing billing = factory.createClient(Billing.class);
 * </pre>
 * Thread-safe.
 */
public final class TaskClientProxyFactory {

	/** How long methods that wait for the result wait unless their client names a timeout: 30 seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private final TaskOperations tasks;

	private final StringValueResolver resolver;

	private final Duration defaultTimeout;

	private final Map<Class<?>, List<ClientMethod>> clients = new ConcurrentHashMap<>();

	private TaskClientProxyFactory(TaskOperations tasks, StringValueResolver resolver, Duration defaultTimeout) {
		this.tasks = tasks;
		this.resolver = resolver;
		this.defaultTimeout = defaultTimeout;
	}

	/**
	 * Start a factory sending through the given operations.
	 * @param tasks sends the clients' tasks, such as the application's {@code TaskTemplate}
	 * @return a builder
	 */
	public static Builder builder(TaskOperations tasks) {
		return new Builder(tasks);
	}

	/**
	 * Create a client of an interface annotated with {@link TaskClient}.
	 * @param clientType the interface
	 * @param <T> the interface type
	 * @return the client
	 * @throws TaskClientDeclarationException when a method cannot send a task, naming it
	 * @throws IllegalArgumentException when the type is not a {@code @TaskClient} interface
	 */
	public <T> T createClient(Class<T> clientType) {
		Assert.notNull(clientType, "'clientType' must not be null");
		ClientMethodReader reader = new ClientMethodReader(clientType, this.resolver, this.defaultTimeout);
		Map<Method, ClientMethod> methods = new LinkedHashMap<>();
		for (Method method : clientType.getMethods()) {
			if (!Modifier.isStatic(method.getModifiers()) && !method.isDefault()
					&& !ReflectionUtils.isObjectMethod(method)) {
				methods.put(method, reader.read(method));
			}
		}
		this.clients.put(clientType, List.copyOf(methods.values()));
		Object proxy = Proxy.newProxyInstance(clientType.getClassLoader(), new Class<?>[] { clientType },
				new TaskClientInvocationHandler(clientType, methods, this.tasks));
		return clientType.cast(proxy);
	}

	/**
	 * The methods of every client this factory created, and the tasks they send.
	 * @return the methods, by client
	 */
	public List<TaskClientMethod> clientMethods() {
		List<TaskClientMethod> methods = new ArrayList<>();
		this.clients.forEach((client, declared) -> declared.forEach((method) -> methods.add(describe(client, method))));
		methods.sort((a, b) -> (a.client() + a.method()).compareTo(b.client() + b.method()));
		return methods;
	}

	private static TaskClientMethod describe(Class<?> client, ClientMethod method) {
		return new TaskClientMethod(client.getName(), TaskClientDeclarationException.signature(method.method()),
				method.taskName(), method.options().queue());
	}

	/**
	 * Builds a {@link TaskClientProxyFactory}.
	 */
	public static final class Builder {

		private final TaskOperations tasks;

		private StringValueResolver resolver = (value) -> value;

		private Duration defaultTimeout = DEFAULT_TIMEOUT;

		private Builder(TaskOperations tasks) {
			Assert.notNull(tasks, "'tasks' must not be null");
			this.tasks = tasks;
		}

		/**
		 * Resolve {@code ${...}} placeholders (and expressions) in the annotations' attributes,
		 * such as with Spring's {@code EmbeddedValueResolver}.
		 * @param resolver the resolver
		 * @return this builder
		 */
		public Builder embeddedValueResolver(StringValueResolver resolver) {
			Assert.notNull(resolver, "'resolver' must not be null");
			this.resolver = resolver;
			return this;
		}

		/**
		 * Set how long methods that wait for the result wait unless they or their client name a
		 * timeout; {@link TaskClientProxyFactory#DEFAULT_TIMEOUT} otherwise.
		 * @param defaultTimeout the timeout, positive
		 * @return this builder
		 */
		public Builder defaultTimeout(Duration defaultTimeout) {
			Assert.isTrue(defaultTimeout != null && !defaultTimeout.isNegative() && !defaultTimeout.isZero(),
					"'defaultTimeout' must be positive");
			this.defaultTimeout = defaultTimeout;
			return this;
		}

		/**
		 * Build the factory.
		 * @return the factory
		 */
		public TaskClientProxyFactory build() {
			return new TaskClientProxyFactory(this.tasks, this.resolver, this.defaultTimeout);
		}

	}

}
