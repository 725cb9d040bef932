package dev.taskqueue.broker;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.MessageDecodingException;
import dev.taskqueue.protocol.TaskMessage;

/**
 * The task message of a {@link Delivery}, decoded on first use and remembered, failure
 * included: every call after a failed decoding throws the same
 * {@link MessageDecodingException}, and any other exception of the decoder becomes one, as do
 * a {@link StackOverflowError} or {@link LinkageError} (hostile input must not pass as a
 * fatal error); other {@link Error}s, such as {@link OutOfMemoryError}, are thrown as they are.
 * For transport implementations.
 */
public final class LazyMessage {

	private final Supplier<TaskMessage> decoder;

	private volatile @Nullable TaskMessage message;

	private volatile @Nullable MessageDecodingException failure;

	/**
	 * Create a lazily decoded message.
	 * @param decoder decodes the message; may throw
	 */
	public LazyMessage(Supplier<TaskMessage> decoder) {
		this.decoder = decoder;
	}

	/**
	 * The decoded message.
	 * @return the message
	 * @throws MessageDecodingException when the message cannot be decoded
	 */
	public TaskMessage get() {
		TaskMessage decoded = this.message;
		if (decoded != null) {
			return decoded;
		}
		MessageDecodingException previous = this.failure;
		if (previous != null) {
			throw previous;
		}
		try {
			decoded = this.decoder.get();
			this.message = decoded;
			return decoded;
		}
		catch (MessageDecodingException ex) {
			this.failure = ex;
			throw ex;
		}
		catch (RuntimeException | StackOverflowError | LinkageError ex) {
			MessageDecodingException failure = new MessageDecodingException("Invalid task message: " + ex, ex);
			this.failure = failure;
			throw failure;
		}
	}

}
