package dev.taskqueue.backend;

import dev.taskqueue.protocol.ResultMeta;

/**
 * The backend of an application that has a real broker but no result backend, as Celery's
 * {@code DisabledBackend}: workers store nothing, and reading a result fails at once with a
 * message saying what to configure, instead of waiting on a store no worker writes to.
 */
public final class DisabledResultBackend implements ResultBackend {

	/** The URL this backend reports. */
	public static final String URL = "disabled://";

	private static final String NO_BACKEND = "No result backend is configured: configure one (redis://host:port/db "
			+ "or rpc://, Celery's result_backend) to read task states and results";

	@Override
	public void store(ResultMeta meta) {
	}

	/**
	 * Refused.
	 * @throws ResultBackendException always
	 */
	@Override
	public ResultMeta get(String taskId) {
		throw new ResultBackendException(NO_BACKEND);
	}

	@Override
	public void forget(String taskId) {
	}

	/**
	 * Refused.
	 * @throws ResultBackendException always
	 */
	@Override
	public ResultSubscription subscribe(String taskId, ResultListener listener) {
		throw new ResultBackendException(NO_BACKEND);
	}

	@Override
	public String url() {
		return URL;
	}

}
