package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.core.TaskContext;

/**
 * Binds a message's positional and keyword arguments to a task method's parameters, the way
 * Python binds a call: positional first, then by name, each value converted by Jackson to the
 * parameter type. What does not fit is reported as Python's {@code TypeError} would be.
 */
final class TaskArgumentBinder {

	private final JsonMapper mapper;

	TaskArgumentBinder(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Nullable Object[] bind(TaskEndpoint endpoint, List<Object> args, Map<String, Object> kwargs,
			TaskContext context) {
		Method method = endpoint.method();
		if (method.isAnnotationPresent(RawArguments.class)) {
			return new Object[] { args, kwargs, context };
		}
		Parameter[] parameters = method.getParameters();
		@Nullable Object[] values = new Object[parameters.length];
		Set<String> usedKwargs = new HashSet<>();
		List<Integer> valueParameters = new ArrayList<>();
		for (int i = 0; i < parameters.length; i++) {
			if (TaskContext.class.equals(parameters[i].getType())) {
				values[i] = context;
			}
			else {
				valueParameters.add(i);
			}
		}
		String task = endpoint.name() + "()";
		if (args.size() > valueParameters.size()) {
			throw new TaskArgumentException(task + " takes " + valueParameters.size()
					+ " positional arguments but " + args.size() + " were given");
		}
		for (int position = 0; position < valueParameters.size(); position++) {
			int index = valueParameters.get(position);
			Parameter parameter = parameters[index];
			String name = parameter.getName();
			if (position < args.size()) {
				if (kwargs.containsKey(name)) {
					throw new TaskArgumentException(task + " got multiple values for argument '" + name + "'");
				}
				values[index] = convert(task, method, index, args.get(position));
			}
			else if (kwargs.containsKey(name)) {
				usedKwargs.add(name);
				values[index] = convert(task, method, index, kwargs.get(name));
			}
			else {
				throw new TaskArgumentException(task + " missing required argument: '" + name + "'");
			}
		}
		for (String name : kwargs.keySet()) {
			if (!usedKwargs.contains(name)) {
				throw new TaskArgumentException(task + " got an unexpected keyword argument '" + name + "'");
			}
		}
		return values;
	}

	private @Nullable Object convert(String task, Method method, int index, @Nullable Object value) {
		Parameter parameter = method.getParameters()[index];
		if (value == null) {
			if (parameter.getType().isPrimitive()) {
				throw new TaskArgumentException(task + " argument '" + parameter.getName() + "' must be "
						+ parameter.getType().getSimpleName() + ", not None");
			}
			return null;
		}
		JavaType type = this.mapper.constructType(method.getGenericParameterTypes()[index]);
		try {
			return this.mapper.convertValue(value, type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new TaskArgumentException(task + " argument '" + parameter.getName() + "' must be "
					+ type.getRawClass().getSimpleName() + ", got " + describe(value));
		}
	}

	private static String describe(Object value) {
		String text = String.valueOf(value);
		if (text.length() > 60) {
			text = text.substring(0, 57) + "...";
		}
		String kind = (value instanceof String) ? "str" : (value instanceof Map) ? "dict"
				: (value instanceof List) ? "list" : (value instanceof Boolean) ? "bool"
						: (value instanceof Number) ? "number" : value.getClass().getSimpleName();
		return kind + " " + ((value instanceof String) ? "'" + text + "'" : text);
	}

}
