package dev.taskqueue.protocol;

/**
 * Turns result metas into the JSON text Celery's key/value result backends store and back.
 * Implementations are thread-safe.
 */
public interface ResultMetaCodec {

	/**
	 * Encode a meta with Celery's key order.
	 * @param meta the meta
	 * @return the JSON bytes (UTF-8)
	 * @throws MessageEncodingException when the result cannot be serialized
	 */
	byte[] encode(ResultMeta meta);

	/**
	 * Decode a stored meta.
	 * @param json the JSON bytes (UTF-8)
	 * @return the meta
	 * @throws MessageDecodingException when the bytes are not a task meta
	 */
	ResultMeta decode(byte[] json);

	/**
	 * Encode the body of an {@code rpc://} backend reply. By default the same as
	 * {@link #encode(ResultMeta)}; Celery reads only the fields it needs.
	 * @param meta the meta
	 * @return the JSON bytes (UTF-8)
	 * @throws MessageEncodingException when the result cannot be serialized
	 */
	default byte[] encodeRpc(ResultMeta meta) {
		return encode(meta);
	}

}
