package dev.taskqueue.client;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskOptions;
import dev.taskqueue.protocol.CeleryDurations;

/**
 * Reads a {@link TaskClient} interface's method into a {@link ClientMethod}, checking it: each
 * problem throws a {@link TaskClientDeclarationException} naming the method.
 */
final class ClientMethodReader {

	private final Class<?> client;

	private final TaskClient declaration;

	private final StringValueResolver resolver;

	private final Duration defaultTimeout;

	ClientMethodReader(Class<?> client, StringValueResolver resolver, Duration defaultTimeout) {
		TaskClient declaration = AnnotatedElementUtils.findMergedAnnotation(client, TaskClient.class);
		if (!client.isInterface() || declaration == null) {
			throw new IllegalArgumentException(client.getName() + " is not an interface annotated with @TaskClient");
		}
		this.client = client;
		this.declaration = declaration;
		this.resolver = resolver;
		this.defaultTimeout = defaultTimeout;
	}

	ClientMethod read(Method method) {
		TaskMethod task = AnnotatedElementUtils.findMergedAnnotation(method, TaskMethod.class);
		ReturnStyle style = styleOf(method);
		Type resultType = resultTypeOf(method, style);
		TaskOptions options = declaredOptions(method, task, style);
		boolean byName = this.declaration.kwargs() || (task != null && task.kwargs());
		Parameter[] parameters = method.getParameters();
		@Nullable String[] keywords = new String[parameters.length];
		Map<String, String> takenBy = new HashMap<>();
		int optionsIndex = -1;
		for (int i = 0; i < parameters.length; i++) {
			Parameter parameter = parameters[i];
			Kwarg kwarg = parameter.getAnnotation(Kwarg.class);
			if (parameter.getType() == TaskOptions.class && kwarg == null) {
				if (optionsIndex >= 0) {
					throw new TaskClientDeclarationException(method, "it has two TaskOptions parameters");
				}
				optionsIndex = i;
			}
			else if (kwarg != null || byName) {
				String keyword = keywordOf(method, parameter, kwarg);
				String other = takenBy.put(keyword, parameter.getName());
				if (other != null) {
					throw new TaskClientDeclarationException(method, "parameters " + other + " and "
							+ parameter.getName() + " both send the keyword argument '" + keyword + "'");
				}
				keywords[i] = keyword;
			}
		}
		boolean spreads = method.isVarArgs() && keywords[parameters.length - 1] == null
				&& optionsIndex != parameters.length - 1;
		return new ClientMethod(method, taskNameOf(method, task), style, resultType, options, keywords, optionsIndex,
				spreads);
	}

	private String taskNameOf(Method method, @Nullable TaskMethod task) {
		String name = (task != null) ? resolve(task.name()) : "";
		if (StringUtils.hasText(name)) {
			return name.strip();
		}
		String prefix = resolve(this.declaration.prefix()).strip();
		if (prefix.isEmpty()) {
			return method.getName();
		}
		return prefix.endsWith(".") ? prefix + method.getName() : prefix + "." + method.getName();
	}

	private String keywordOf(Method method, Parameter parameter, @Nullable Kwarg kwarg) {
		String keyword = (kwarg != null) ? resolve(kwarg.value()).strip() : "";
		if (!keyword.isEmpty()) {
			return keyword;
		}
		if (!parameter.isNamePresent()) {
			throw new TaskClientDeclarationException(method, "the keyword argument of parameter " + parameter.getName()
					+ " has no name: compile with -parameters or name it with @Kwarg(\"...\")");
		}
		return parameter.getName();
	}

	private ReturnStyle styleOf(Method method) {
		Class<?> type = method.getReturnType();
		if (type == void.class || type == Void.class) {
			return ReturnStyle.NONE;
		}
		if (type == Signature.class) {
			return ReturnStyle.SIGNATURE;
		}
		if (type == AsyncResult.class) {
			return ReturnStyle.ASYNC_RESULT;
		}
		if (type == CompletableFuture.class || type == CompletionStage.class) {
			return ReturnStyle.FUTURE;
		}
		if (Future.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type)
				|| type == Optional.class || type.getPackageName().equals("dev.taskqueue.core")
				|| type.getName().startsWith("reactor.core.") || type.getName().startsWith("org.reactivestreams.")) {
			throw new TaskClientDeclarationException(method, "it returns " + type.getName()
					+ ", which is not supported: return the result type itself, AsyncResult<T>, CompletableFuture<T>,"
					+ " void or Signature");
		}
		return ReturnStyle.RESULT;
	}

	private Type resultTypeOf(Method method, ReturnStyle style) {
		ResolvableType declared = ResolvableType.forMethodReturnType(method, this.client);
		ResolvableType result = switch (style) {
			case RESULT -> declared;
			case ASYNC_RESULT, FUTURE -> declared.hasGenerics() ? declared.getGeneric(0) : ResolvableType.forClass(Object.class);
			case NONE, SIGNATURE -> ResolvableType.forClass(Object.class);
		};
		if (result.getType() instanceof WildcardType) {
			return Object.class;
		}
		Class<?> resolved = result.resolve();
		if (resolved == null || result.hasUnresolvableGenerics()
				|| (result.getType() instanceof TypeVariable<?> && method.getTypeParameters().length > 0)) {
			throw new TaskClientDeclarationException(method, "its result type " + result.getType().getTypeName()
					+ " cannot be resolved: declare a concrete type");
		}
		if (resolved.isPrimitive()) {
			return ClassUtils.resolvePrimitiveIfNecessary(resolved);
		}
		return (result.getType() instanceof TypeVariable<?>) ? resolved : result.getType();
	}

	private TaskOptions declaredOptions(Method method, @Nullable TaskMethod task, ReturnStyle style) {
		TaskOptions options = TaskOptions.none();
		String clientQueue = resolve(this.declaration.queue()).strip();
		if (!clientQueue.isEmpty()) {
			options = options.queue(clientQueue);
		}
		Duration timeout = duration(method, "@TaskClient timeout", this.declaration.timeout());
		if (task != null) {
			try {
				options = options.overriddenBy(new MethodOptions(method, task).read());
			}
			catch (IllegalArgumentException ex) {
				// TaskOptions refuses values no message may carry, such as a countdown past 100 years
				throw new TaskClientDeclarationException(method, ex.getMessage());
			}
			Duration methodTimeout = duration(method, "timeout", task.timeout());
			if (methodTimeout != null && !style.waits()) {
				throw new TaskClientDeclarationException(method, "it sets a timeout but does not wait for the result"
						+ " (it returns " + method.getReturnType().getSimpleName() + ")");
			}
			timeout = (methodTimeout != null) ? methodTimeout : timeout;
		}
		if (style.waits()) {
			options = options.timeout((timeout != null) ? timeout : this.defaultTimeout);
		}
		return options;
	}

	private @Nullable Duration duration(Method method, String attribute, String text) {
		String value = resolve(text).strip();
		if (value.isEmpty()) {
			return null;
		}
		try {
			Duration duration = CeleryDurations.parse(value);
			if (duration == null || duration.isZero()) {
				throw new IllegalArgumentException("it is not positive");
			}
			return duration;
		}
		catch (RuntimeException ex) {
			throw new TaskClientDeclarationException(method,
					attribute + " '" + value + "' is not a valid duration (" + ex.getMessage() + ")");
		}
	}

	private String resolve(String text) {
		String resolved = text.isEmpty() ? text : this.resolver.resolveStringValue(text);
		return (resolved != null) ? resolved : "";
	}

	/** The options of a {@link TaskMethod}, checked. */
	private final class MethodOptions {

		private final Method method;

		private final TaskMethod task;

		MethodOptions(Method method, TaskMethod task) {
			this.method = method;
			this.task = task;
		}

		TaskOptions read() {
			TaskOptions options = TaskOptions.none();
			String queue = resolve(this.task.queue()).strip();
			options = queue.isEmpty() ? options : options.queue(queue);
			Duration countdown = duration(this.method, "countdown", this.task.countdown());
			options = (countdown != null) ? options.countdown(countdown) : options;
			Duration expires = duration(this.method, "expires", this.task.expires());
			options = (expires != null) ? options.expires(expires) : options;
			Duration timeLimit = duration(this.method, "timeLimit", this.task.timeLimit());
			options = (timeLimit != null) ? options.timeLimit(timeLimit) : options;
			Duration softTimeLimit = duration(this.method, "softTimeLimit", this.task.softTimeLimit());
			options = (softTimeLimit != null) ? options.softTimeLimit(softTimeLimit) : options;
			int priority = this.task.priority();
			if (priority != -1) {
				if (priority < 0 || priority > 255) {
					throw new TaskClientDeclarationException(this.method,
							"priority must be between 0 and 255 (or -1 for none), got " + priority);
				}
				options = options.priority(priority);
			}
			return this.task.ignoreResult() ? options.ignoreResult(true) : options;
		}

	}

}
