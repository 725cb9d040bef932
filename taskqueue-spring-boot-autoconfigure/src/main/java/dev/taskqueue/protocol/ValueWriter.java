package dev.taskqueue.protocol;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes values with one of kombu's serializers: {@code json} with the wire format's JSON
 * mapper, or {@code msgpack} with {@link MsgpackWriter}. Thread-safe.
 */
final class ValueWriter {

	private final Serializer serializer;

	private final JsonMapper mapper;

	private final MsgpackWriter msgpack;

	/**
	 * Create a writer.
	 * @param serializer what to write
	 * @param mapper the wire format's JSON mapper (see {@link CeleryJson})
	 */
	ValueWriter(Serializer serializer, JsonMapper mapper) {
		this.serializer = serializer;
		this.mapper = mapper;
		this.msgpack = new MsgpackWriter(mapper);
	}

	Serializer serializer() {
		return this.serializer;
	}

	/**
	 * Serialize a value.
	 * @param value the value
	 * @return the bytes
	 * @throws MessageEncodingException when the value cannot be serialized, with the reason
	 */
	byte[] write(@Nullable Object value) {
		if (this.serializer == Serializer.MSGPACK) {
			return this.msgpack.write(value);
		}
		try {
			return this.mapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new MessageEncodingException(ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Whether a value can be serialized.
	 * @param value the value
	 * @return whether {@link #write(Object)} succeeds
	 */
	boolean canWrite(@Nullable Object value) {
		try {
			write(value);
			return true;
		}
		catch (MessageEncodingException ex) {
			return false;
		}
	}

	/**
	 * The name of the serializer for messages, such as {@code JSON}.
	 * @return the name
	 */
	String displayName() {
		return (this.serializer == Serializer.MSGPACK) ? "msgpack" : "JSON";
	}

}
