package dev.taskqueue.client;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.ObjectUtils;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskOptions;
import dev.taskqueue.core.TaskRequest;
import dev.taskqueue.core.TaskResultConversionException;

/**
 * One method of a task client, read and checked once: the task it sends, how each parameter
 * is passed, the declared options and how it returns.
 *
 * @param method the interface method
 * @param taskName the task it sends
 * @param style how it returns
 * @param resultType the type the task's result is converted to
 * @param options the options the annotations declare, with the timeout when the method waits
 * @param keywords the keyword of each parameter, {@code null} for positional ones
 * @param optionsIndex the index of the {@link TaskOptions} parameter, or -1
 * @param spreadsVarargs whether the last parameter is positional varargs whose elements are
 * each an argument
 */
record ClientMethod(Method method, String taskName, ReturnStyle style, Type resultType, TaskOptions options,
		@Nullable String[] keywords, int optionsIndex, boolean spreadsVarargs) {

	/**
	 * Send the task, or build its signature, from a call's arguments.
	 * @param tasks sends the task
	 * @param arguments the call's arguments, {@code null} for none
	 * @return what the method returns
	 */
	@Nullable Object call(TaskOperations tasks, @Nullable Object @Nullable [] arguments) {
		Call call = bind((arguments != null) ? arguments : new Object[0]);
		ParameterizedTypeReference<Object> type = ParameterizedTypeReference.forType(this.resultType);
		return switch (this.style) {
			case SIGNATURE -> Signature.of(this.taskName).args(call.args()).kwargs(call.kwargs()).options(call.options());
			case NONE -> {
				request(tasks, call).send();
				yield null;
			}
			case ASYNC_RESULT -> request(tasks, call).send(type);
			case RESULT -> valueOf(request(tasks, call).send(type), timeout(call.options()));
			case FUTURE -> ResultFuture.of(tasks, request(tasks, call).sendAsync(type), timeout(call.options()));
		};
	}

	private Call bind(@Nullable Object[] values) {
		List<@Nullable Object> args = new ArrayList<>(values.length);
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		TaskOptions effective = this.options;
		for (int i = 0; i < values.length; i++) {
			if (i == this.optionsIndex) {
				effective = (values[i] != null) ? effective.overriddenBy((TaskOptions) values[i]) : effective;
			}
			else if (this.keywords[i] != null) {
				kwargs.put(this.keywords[i], values[i]);
			}
			else if (this.spreadsVarargs && i == values.length - 1) {
				args.addAll(Arrays.asList(ObjectUtils.toObjectArray(values[i])));
			}
			else {
				args.add(values[i]);
			}
		}
		return new Call(args, kwargs, effective);
	}

	private TaskRequest request(TaskOperations tasks, Call call) {
		return tasks.task(this.taskName).args(call.args()).kwargs(call.kwargs()).options(call.options());
	}

	private @Nullable Object valueOf(AsyncResult<Object> result, Duration timeout) {
		Object value = result.get(timeout);
		if (value == null && this.method.getReturnType().isPrimitive()) {
			throw new TaskResultConversionException(result.id(), this.method.getReturnType().getName(),
					new IllegalArgumentException("the task returned null (None), which " + this.method.getName()
							+ "'s return type cannot hold"));
		}
		return value;
	}

	private static Duration timeout(TaskOptions options) {
		Duration timeout = options.timeout();
		if (timeout == null) {
			throw new IllegalStateException("A method that waits has a timeout");
		}
		return timeout;
	}

	/** One call's arguments and options. */
	private record Call(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs, TaskOptions options) {
	}

}
