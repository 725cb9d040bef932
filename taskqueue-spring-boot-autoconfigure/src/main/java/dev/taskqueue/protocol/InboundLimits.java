package dev.taskqueue.protocol;

import org.springframework.util.Assert;

/**
 * What a received task message may cost to decode. Bodies, decompressed bodies, nesting and
 * declared container lengths are checked before anything is allocated for them; a message over
 * a limit fails to decode with a {@link MessageDecodingException} that names the limit, so the
 * worker dead-letters it.
 *
 * @param maxBodySize the largest body, in bytes, as received (compressed or not)
 * @param maxDecompressedSize the largest body, in bytes, after decompression
 * @param maxDepth the deepest nesting of arrays and maps (JSON or msgpack)
 */
public record InboundLimits(long maxBodySize, long maxDecompressedSize, int maxDepth) {

	/** 64 MiB, the RabbitMQ Java client's default for the largest inbound message body. */
	public static final long DEFAULT_MAX_SIZE = 64L * 1024 * 1024;

	/** Jackson's default largest nesting depth. */
	public static final int DEFAULT_MAX_DEPTH = 500;

	/** The defaults: 64 MiB bodies, 64 MiB decompressed, nesting 500 deep. */
	public static final InboundLimits DEFAULTS = new InboundLimits(DEFAULT_MAX_SIZE, DEFAULT_MAX_SIZE,
			DEFAULT_MAX_DEPTH);

	public InboundLimits {
		Assert.isTrue(maxBodySize > 0, "'maxBodySize' must be positive");
		Assert.isTrue(maxDecompressedSize > 0, "'maxDecompressedSize' must be positive");
		Assert.isTrue(maxDepth > 0, "'maxDepth' must be positive");
	}

	/**
	 * Check the size of a received body.
	 * @param size the body's length in bytes
	 * @throws MessageDecodingException when it is over {@link #maxBodySize()}
	 */
	void checkBodySize(long size) {
		if (size > this.maxBodySize) {
			throw new MessageDecodingException("Message body of " + size + " bytes exceeds the limit of "
					+ this.maxBodySize + " bytes (the worker's body size limit)");
		}
	}

	/** The reason a decompressed body is refused. */
	String decompressedTooLarge() {
		return "Decompressed message body exceeds the limit of " + this.maxDecompressedSize
				+ " bytes (the worker's decompressed size limit)";
	}

	/** The reason a too deeply nested body is refused. */
	String tooDeep() {
		return "Message body nests arrays and maps deeper than " + this.maxDepth
				+ " levels (the worker's nesting depth limit)";
	}

}
