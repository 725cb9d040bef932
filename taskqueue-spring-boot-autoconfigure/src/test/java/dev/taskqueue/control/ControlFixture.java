package dev.taskqueue.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.worker.CeleryTaskAnnotationBeanPostProcessor;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.WorkerState;

/**
 * A worker on the in-memory broker, backend and store of revoked tasks, with its command map
 * and a template to send to it.
 */
final class ControlFixture implements AutoCloseable {

	static final Duration WAIT = Duration.ofSeconds(10);

	final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(5));

	final InMemoryRevokedTaskStore revokes = new InMemoryRevokedTaskStore(RevokedTaskStore.DEFAULT_TTL);

	final TaskRegistry registry = new TaskRegistry();

	final WorkerState state = new WorkerState();

	final ControlTasks tasks = new ControlTasks();

	final LamportClock clock = new LamportClock();

	final TaskTemplate template = new TaskTemplate(this.broker, this.backend,
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
			DataSize.ofMegabytes(8));

	final WorkerContainer worker;

	final WorkerCommands commands;

	private @Nullable Map<String, ControlCommand> map;

	ControlFixture(int concurrency) {
		new CeleryTaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.tasks, "tasks");
		this.worker = new WorkerContainer(this.broker, this.backend, this.registry, this.state,
				new WorkerSettings("control@test", List.of("celery"), concurrency, 4, Duration.ofSeconds(5), false),
				CeleryJson.newMapper(), null);
		this.template.setRevokedTaskStore(this.revokes);
		this.worker.setRevokedTaskStore(this.revokes);
		this.commands = new WorkerCommands(this.worker.control(), this.clock);
	}

	ControlFixture start() {
		this.worker.start();
		return this;
	}

	/**
	 * Call a command as the mailbox node does.
	 * @param method the command name
	 * @param arguments the request's arguments
	 * @return the reply value
	 */
	@Nullable Object call(String method, Map<String, @Nullable Object> arguments) {
		if (this.map == null) {
			this.map = this.commands.commands();
		}
		ControlCommand command = this.map.get(method);
		if (command == null) {
			throw new ControlCommandException("KeyError", method);
		}
		return command.handle(arguments);
	}

	@Nullable Object call(String method) {
		return call(method, Map.of());
	}

	@Override
	public void close() {
		this.tasks.release.countDown();
		this.worker.stop();
	}

}
