package dev.taskqueue.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Turns result metas into the bytes Celery's result backends store and send (JSON or msgpack,
 * Celery's {@code result_serializer}) and back. Implementations are thread-safe.
 */
public interface ResultMetaCodec {

	/**
	 * Encode a meta with Celery's key order.
	 * @param meta the meta
	 * @return the serialized meta
	 * @throws MessageEncodingException when the result cannot be serialized
	 */
	byte[] encode(ResultMeta meta);

	/**
	 * Decode a stored meta, whatever serializer wrote it.
	 * @param bytes the serialized meta
	 * @return the meta
	 * @throws MessageDecodingException when the bytes are not a task meta
	 */
	ResultMeta decode(byte[] bytes);

	/**
	 * Encode a plain value with the serializer of the metas, as Celery's {@code backend.encode}
	 * does for chord parts and saved groups.
	 * @param value the value: {@code null}, a boolean, number, string, list or map of these,
	 * or what the codec turns into one
	 * @return the serialized value
	 * @throws MessageEncodingException when the value cannot be serialized
	 * @throws UnsupportedOperationException when the codec writes only metas (the default)
	 */
	default byte[] encodeValue(@Nullable Object value) {
		throw new UnsupportedOperationException(getClass().getName() + " encodes only task metas, not chord parts "
				+ "or saved groups");
	}

	/**
	 * Decode a value written by {@link #encodeValue} of this or another serializer (Celery's
	 * {@code backend.decode}).
	 * @param bytes the serialized value
	 * @return the value, as plain values
	 * @throws MessageDecodingException when the bytes are no value
	 * @throws UnsupportedOperationException when the codec reads only metas (the default)
	 */
	default @Nullable Object decodeValue(byte[] bytes) {
		throw new UnsupportedOperationException(getClass().getName() + " decodes only task metas, not chord parts "
				+ "or saved groups");
	}

	/**
	 * Decode a meta received with a content type, such as an {@code rpc://} reply. By default
	 * the same as {@link #decode(byte[])}.
	 * @param bytes the serialized meta
	 * @param contentType the content type it came with, {@code null} when none
	 * @return the meta
	 * @throws MessageDecodingException when the bytes are not a task meta, or the content type
	 * is not one this codec reads
	 */
	default ResultMeta decode(byte[] bytes, @Nullable String contentType) {
		return decode(bytes);
	}

	/**
	 * Encode the body of an {@code rpc://} backend reply. By default the same as
	 * {@link #encode(ResultMeta)}; Celery reads only the fields it needs.
	 * @param meta the meta
	 * @return the serialized meta
	 * @throws MessageEncodingException when the result cannot be serialized
	 */
	default byte[] encodeRpc(ResultMeta meta) {
		return encode(meta);
	}

	/**
	 * The content type of what {@link #encode} and {@link #encodeRpc} write, for messages that
	 * carry it.
	 * @return the content type, {@code application/json} by default
	 */
	default String contentType() {
		return Serializer.JSON.contentType();
	}

	/**
	 * The content encoding of what {@link #encode} and {@link #encodeRpc} write.
	 * @return the content encoding, {@code utf-8} by default
	 */
	default String contentEncoding() {
		return Serializer.JSON.contentEncoding();
	}

}
