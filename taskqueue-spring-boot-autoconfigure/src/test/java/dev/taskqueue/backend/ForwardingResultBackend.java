package dev.taskqueue.backend;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.protocol.ResultMeta;

/**
 * A {@link ResultBackend} that hands every call to another one, for tests that change or
 * watch one of its operations on a real backend.
 */
public class ForwardingResultBackend implements ResultBackend {

	private final ResultBackend delegate;

	public ForwardingResultBackend(ResultBackend delegate) {
		this.delegate = delegate;
	}

	@Override
	public void store(ResultMeta meta) {
		this.delegate.store(meta);
	}

	@Override
	public void store(ResultMeta meta, @Nullable String replyTo) {
		this.delegate.store(meta, replyTo);
	}

	@Override
	public @Nullable String replyTo() {
		return this.delegate.replyTo();
	}

	@Override
	public ResultMeta get(String taskId) {
		return this.delegate.get(taskId);
	}

	@Override
	public void forget(String taskId) {
		this.delegate.forget(taskId);
	}

	@Override
	public ResultSubscription subscribe(String taskId, ResultListener listener) {
		return this.delegate.subscribe(taskId, listener);
	}

	@Override
	public String url() {
		return this.delegate.url();
	}

}
