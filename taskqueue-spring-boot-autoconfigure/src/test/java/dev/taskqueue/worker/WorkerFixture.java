package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.routing.DefaultTaskRouter;

/**
 * A worker on the in-memory broker, backend and store of revoked tasks, with a template to
 * send to it.
 */
final class WorkerFixture implements AutoCloseable {

	final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(5));

	final InMemoryRevokedTaskStore revokes = new InMemoryRevokedTaskStore(RevokedTaskStore.DEFAULT_TTL);

	final TaskRegistry registry = new TaskRegistry();

	final WorkerState state = new WorkerState();

	final TestTasks tasks = new TestTasks();

	final TaskTemplate template = new TaskTemplate(this.broker, this.backend,
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(),
			CeleryJson.newMapper(), DataSize.ofMegabytes(8));

	final WorkerContainer worker;

	WorkerFixture(int concurrency) {
		this(new WorkerSettings("celery@test", List.of("celery"), concurrency, 2, Duration.ofSeconds(5), false));
	}

	WorkerFixture(WorkerSettings settings) {
		new CeleryTaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.tasks, "tasks");
		this.tasks.operations = this.template;
		this.worker = new WorkerContainer(this.broker, this.backend, this.registry, this.state, settings,
				CeleryJson.newMapper(), null);
		this.template.setRevokedTaskStore(this.revokes);
		this.worker.setRevokedTaskStore(this.revokes);
	}

	WorkerFixture start() {
		this.worker.start();
		return this;
	}

	@Override
	public void close() {
		this.tasks.release.countDown();
		this.worker.stop();
	}

}
