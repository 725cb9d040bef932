package dev.taskqueue.core;

import java.time.Duration;

import dev.taskqueue.backend.ForwardingResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.protocol.JsonResultMetaCodec;

/**
 * {@link TaskUpdatesTests} through the default {@link ResultBackend#follow}, which a backend
 * that does not override it gets: subscribe, read, and hold what arrives in between.
 */
class DefaultFollowTaskUpdatesTests extends TaskUpdatesTests {

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(5));

	private final ResultBackend client = new ForwardingResultBackend(this.backend);

	@Override
	ResultBackend workerBackend() {
		return this.backend;
	}

	@Override
	ResultBackend clientBackend() {
		return this.client;
	}

}
