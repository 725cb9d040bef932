package dev.taskqueue.core;

import java.time.Duration;
import java.util.List;

import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.worker.CeleryTaskAnnotationBeanPostProcessor;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.WorkerState;

/**
 * A started worker of {@link ProgressTasks} on the in-memory broker, storing to one backend,
 * and a template that sends to it and reads results from another backend.
 */
final class ProgressWorker implements AutoCloseable {

	private static final String QUEUE = "progress-celery";

	final ProgressTasks tasks = new ProgressTasks();

	final TaskTemplate template;

	private final WorkerContainer worker;

	/**
	 * Start a worker.
	 * @param workerBackend the backend the worker stores to
	 * @param clientBackend the backend the template reads from
	 */
	ProgressWorker(ResultBackend workerBackend, ResultBackend clientBackend) {
		InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());
		TaskRegistry registry = new TaskRegistry();
		new CeleryTaskAnnotationBeanPostProcessor(registry).postProcessAfterInitialization(this.tasks, "tasks");
		WorkerSettings settings = new WorkerSettings("celery@progress-test", List.of(QUEUE), 2, 2,
				Duration.ofSeconds(5), false);
		this.worker = new WorkerContainer(broker, workerBackend, registry, new WorkerState(), settings,
				CeleryJson.newMapper(), null);
		this.template = new TaskTemplate(broker, clientBackend, DefaultTaskRouter.withDefaultQueue(QUEUE),
				new JsonMessageCodec(), CeleryJson.newMapper(), DataSize.ofMegabytes(1));
		this.worker.start();
	}

	/** Let every task go on and stop the worker. */
	@Override
	public void close() {
		this.tasks.releaseAll();
		this.worker.stop();
	}

}
