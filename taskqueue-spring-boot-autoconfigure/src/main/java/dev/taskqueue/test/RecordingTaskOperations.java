package dev.taskqueue.test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.TaskRouter;

/**
 * A {@link TaskOperations} for tests that records what the application sends instead of
 * publishing it. It is a real {@link TaskTemplate}: each task is routed, encoded and checked
 * as it would be for a broker, then decoded again and recorded as a {@link SentTask}, so an
 * argument with no JSON form fails the send as it would in production. Nothing runs: the
 * results of recorded tasks stay PENDING, or REVOKED once revoked ({@link #revoked()}).
 * <p>
 * In a {@code @SpringBootTest}, declare it as a bean; it replaces the auto-configured
 * template:
 *
 * <pre class="code">
 * &#64;TestConfiguration
 * static class RecordingConfiguration {
 *
 *     &#64;Bean
 *     RecordingTaskOperations taskOperations(TaskRouter router) {
 *         return new RecordingTaskOperations(router);
 *     }
 *
 * }
 * </pre>
 */
public class RecordingTaskOperations extends TaskTemplate {

	private final RecordingBroker broker;

	private final InMemoryRevokedTaskStore revokes = new InMemoryRevokedTaskStore(RevokedTaskStore.DEFAULT_TTL);

	/**
	 * Record tasks routed to the {@code celery} queue unless sent to another queue.
	 */
	public RecordingTaskOperations() {
		this(DefaultTaskRouter.withDefaultQueue("celery"));
	}

	/**
	 * Record tasks routed by the given router, such as the application's own.
	 * @param router routes each task
	 */
	public RecordingTaskOperations(TaskRouter router) {
		this(router, new JsonMessageCodec());
	}

	/**
	 * Record tasks routed by the given router and encoded by the given codec.
	 * @param router routes each task
	 * @param codec encodes and decodes each task
	 */
	public RecordingTaskOperations(TaskRouter router, MessageCodec codec) {
		this(new RecordingBroker(codec), router);
	}

	private RecordingTaskOperations(RecordingBroker broker, TaskRouter router) {
		super(broker, new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofDays(1)), router,
				broker.codec(), CeleryJson.newMapper(), DataSize.ofMegabytes(8));
		this.broker = broker;
		setRevokedTaskStore(this.revokes);
	}

	/**
	 * The tasks sent so far, oldest first.
	 * @return the sent tasks
	 */
	public List<SentTask> sent() {
		return this.broker.sent();
	}

	/**
	 * The tasks of a name sent so far, oldest first.
	 * @param taskName the task name
	 * @return the sent tasks of that name
	 */
	public List<SentTask> sent(String taskName) {
		return sent().stream().filter((task) -> task.name().equals(taskName)).toList();
	}

	/**
	 * The one task of a name sent so far.
	 * @param taskName the task name
	 * @return the sent task
	 * @throws AssertionError when none or several were sent, naming what was sent
	 */
	public SentTask sentOnce(String taskName) {
		List<SentTask> matching = sent(taskName);
		if (matching.size() != 1) {
			throw new AssertionError("Expected task '" + taskName + "' to be sent once but it was sent "
					+ matching.size() + " times; sent: " + names());
		}
		return matching.get(0);
	}

	/**
	 * The ids of the tasks revoked so far ({@link #revoke}, {@code AsyncResult.revoke()}).
	 * Their results read REVOKED unless they were final already.
	 * @return the revoked task ids
	 */
	public Set<String> revoked() {
		return this.revokes.revoked().keySet();
	}

	/**
	 * Forget the tasks sent and revoked so far, for example between tests sharing a context.
	 */
	public void clear() {
		this.broker.clear();
		this.revokes.clear();
	}

	private String names() {
		return sent().stream().map(SentTask::name).collect(Collectors.joining(", ", "[", "]"));
	}

}
