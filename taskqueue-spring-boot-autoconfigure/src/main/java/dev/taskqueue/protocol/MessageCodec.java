package dev.taskqueue.protocol;

/**
 * Turns task messages into their wire form and back. Implementations are thread-safe.
 */
public interface MessageCodec {

	/**
	 * Encode a task message.
	 * @param message the message
	 * @return the encoded message
	 * @throws MessageEncodingException when an argument cannot be serialized
	 */
	EncodedMessage encode(TaskMessage message);

	/**
	 * Decode a task message, v2 or v1.
	 * @param message the encoded message
	 * @return the task message
	 * @throws MessageDecodingException with the reason when the message is not a valid task
	 */
	TaskMessage decode(EncodedMessage message);

	/**
	 * What a received message may cost to decode, for transports that can refuse an oversized
	 * message before they even fetch it whole.
	 * @return the limits
	 */
	default InboundLimits limits() {
		return InboundLimits.DEFAULTS;
	}

}
