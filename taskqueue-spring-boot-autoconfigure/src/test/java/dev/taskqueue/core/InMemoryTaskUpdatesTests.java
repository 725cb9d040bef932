package dev.taskqueue.core;

import java.time.Duration;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.protocol.JsonResultMetaCodec;

/**
 * {@link TaskUpdatesTests} on the in-memory backend, which worker and client share.
 */
class InMemoryTaskUpdatesTests extends TaskUpdatesTests {

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(5));

	@Override
	ResultBackend workerBackend() {
		return this.backend;
	}

	@Override
	ResultBackend clientBackend() {
		return this.backend;
	}

}
