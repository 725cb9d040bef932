package dev.taskqueue.backend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The message that carries revokes between processes, for stores that pass revokes on as
 * messages (a Redis channel, a RabbitMQ stream): JSON in the shape of the arguments of
 * Celery's {@code revoke} command, with when the revokes expire:
 * {@code {"task_id": ["<id>", ...], "terminate": false, "expires": <epoch milliseconds>}}.
 * <p>
 * Messages come from outside the process, so sizes are checked before anything is read:
 * at most {@link #MAX_SIZE} bytes, {@link #MAX_IDS} ids of at most {@link #MAX_ID_LENGTH}
 * characters each.
 */
public final class RevokeMessages {

	/** The largest message read. */
	public static final int MAX_SIZE = 1024 * 1024;

	/** The most ids read from one message. */
	public static final int MAX_IDS = 10_000;

	/** The longest task id accepted. */
	public static final int MAX_ID_LENGTH = 255;

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private RevokeMessages() {
	}

	/**
	 * Encode revokes.
	 * @param taskIds the revoked ids
	 * @param terminate whether running tasks are to be interrupted
	 * @param expires when the revokes expire
	 * @return the JSON message
	 * @throws IllegalArgumentException when the message would be over {@link #MAX_SIZE}, so
	 * that no reader would take it
	 */
	public static byte[] encode(List<String> taskIds, boolean terminate, Instant expires) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("task_id", taskIds);
		message.put("terminate", terminate);
		message.put("expires", expires.toEpochMilli());
		byte[] encoded = mapper.writeValueAsBytes(message);
		if (encoded.length > MAX_SIZE) {
			throw new IllegalArgumentException("The revoke of " + taskIds.size() + " tasks takes " + encoded.length
					+ " bytes, over the " + MAX_SIZE + " a worker reads: revoke fewer at once");
		}
		return encoded;
	}

	/**
	 * Decode revokes.
	 * @param payload a message
	 * @return the revokes, or {@code null} when the message is not one written by
	 * {@link #encode} or is over the limits
	 */
	public static @Nullable Revokes decode(byte[] payload) {
		if (payload.length > MAX_SIZE) {
			return null;
		}
		try {
			JsonNode message = mapper.readTree(payload);
			JsonNode ids = message.path("task_id");
			JsonNode expires = message.path("expires");
			if (!ids.isArray() || ids.size() > MAX_IDS || !expires.isIntegralNumber()) {
				return null;
			}
			List<String> taskIds = new ArrayList<>(ids.size());
			for (JsonNode id : ids) {
				if (!id.isString() || !isValidId(id.asString())) {
					return null;
				}
				taskIds.add(id.asString());
			}
			return new Revokes(taskIds, message.path("terminate").asBoolean(false),
					Instant.ofEpochMilli(expires.asLong()));
		}
		catch (JacksonException | IllegalArgumentException | ArithmeticException ex) {
			return null;
		}
	}

	/**
	 * Whether a string can be a task id: not blank and at most {@link #MAX_ID_LENGTH} long.
	 * @param taskId the candidate
	 * @return whether it can be a task id
	 */
	public static boolean isValidId(@Nullable String taskId) {
		return taskId != null && !taskId.isBlank() && taskId.length() <= MAX_ID_LENGTH;
	}

	/**
	 * Revokes read from a message.
	 *
	 * @param taskIds the revoked ids
	 * @param terminate whether running tasks are to be interrupted
	 * @param expires when the revokes expire
	 */
	public record Revokes(List<String> taskIds, boolean terminate, Instant expires) {

	}

}
