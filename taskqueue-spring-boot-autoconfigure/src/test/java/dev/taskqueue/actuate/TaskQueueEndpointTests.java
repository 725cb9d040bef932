package dev.taskqueue.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.actuate.FleetDescriptors.ClusterDescriptor;
import dev.taskqueue.actuate.FleetDescriptors.TaskDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.ActiveTaskDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.QueueDescriptor;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.control.PidboxNode;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.control.WorkerCommands;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.events.ClusterState;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskQueueEndpoint}, against a real worker on the in-memory broker and
 * backend.
 */
class TaskQueueEndpointTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(5));

	private final TaskTemplate template = new TaskTemplate(this.broker, this.backend,
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
			DataSize.ofMegabytes(1));

	private final TaskRegistry registry = new TaskRegistry();

	private final WorkerState state = new WorkerState();

	private final Tasks tasks = new Tasks();

	private final WorkerContainer worker;

	private final TaskQueueEndpoint endpoint;

	private final LamportClock clock = new LamportClock();

	private final InMemoryRevokedTaskStore revokes = new InMemoryRevokedTaskStore(Duration.ofMinutes(5));

	TaskQueueEndpointTests() {
		new CeleryTaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.tasks, "tasks");
		WorkerSettings settings = new WorkerSettings("celery@endpoint-test", List.of("celery", "other"), 3, 2,
				Duration.ofSeconds(5), false);
		this.worker = new WorkerContainer(this.broker, this.backend, this.registry, this.state, settings,
				CeleryJson.newMapper(), null);
		this.endpoint = new TaskQueueEndpoint(this.broker, this.backend, this.worker, this.state, this.registry,
				Show.NEVER);
	}

	@AfterEach
	void stopWorker() {
		this.tasks.release.countDown();
		this.worker.stop();
	}

	@Test
	void describesStoppedWorker() {
		TaskQueueDescriptor descriptor = this.endpoint.taskQueue();
		assertThat(descriptor.node()).isEqualTo("celery@endpoint-test");
		assertThat(descriptor.running()).isFalse();
		assertThat(descriptor.broker()).isEqualTo("memory://");
		assertThat(descriptor.backend()).isEqualTo("memory://");
		assertThat(descriptor.queues()).containsExactly("celery", "other");
		assertThat(descriptor.concurrency()).isEqualTo(3);
		assertThat(descriptor.prefetchCount()).isEqualTo(6);
		assertThat(descriptor.registeredTasks()).containsExactly("test.add", "test.block", "test.fail");
		assertThat(descriptor.active()).isEmpty();
		assertThat(descriptor.reserved()).isZero();
		assertThat(descriptor.processed()).isEmpty();
		assertThat(descriptor.processedTotal()).isZero();
		assertThat(descriptor.rejected()).isZero();
	}

	@Test
	void countsProcessedTasksByNameAndState() {
		this.worker.start();
		assertThat(this.endpoint.taskQueue().running()).isTrue();
		AsyncResult<Object> sum = this.template.send("test.add", 2, 3);
		this.template.send("test.add", 4, 5);
		this.template.send("test.fail", "boom");
		this.template.send("test.unknown");
		await().atMost(TIMEOUT).until(() -> this.endpoint.taskQueue().processedTotal() == 3
				&& this.endpoint.taskQueue().rejected() == 1);
		TaskQueueDescriptor descriptor = this.endpoint.taskQueue();
		assertThat(sum.get(TIMEOUT, Long.class)).isEqualTo(5L);
		// unregistered names are only counted as rejected, so invented names cannot grow the counts
		assertThat(descriptor.processed()).isEqualTo(Map.of("test.add", Map.of("SUCCESS", 2L), "test.fail",
				Map.of("FAILURE", 1L)));
		assertThat(descriptor.active()).isEmpty();
	}

	@Test
	void listsRunningTasksWithTheirArgumentsHidden() throws InterruptedException {
		this.worker.start();
		Instant before = Instant.now();
		AsyncResult<Object> blocked = this.template.task("test.block").args("first").kwarg("tag", "t1").send();
		assertThat(this.tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
		List<ActiveTaskDescriptor> active = this.endpoint.taskQueue().active();
		assertThat(active).hasSize(1);
		ActiveTaskDescriptor task = active.get(0);
		assertThat(task.id()).isEqualTo(blocked.id());
		assertThat(task.name()).isEqualTo("test.block");
		assertThat(task.args()).isEqualTo("******");
		assertThat(task.kwargs()).isEqualTo("******");
		assertThat(Instant.parse(task.startTime())).isBetween(before.minusSeconds(1), Instant.now());
		assertThat(task.thread()).startsWith("taskqueue-worker-");
		this.tasks.release.countDown();
		assertThat(blocked.get(TIMEOUT)).isEqualTo("first:t1");
		await().atMost(TIMEOUT).until(() -> this.endpoint.taskQueue().active().isEmpty());
		assertThat(this.endpoint.taskQueue().processed()).containsEntry("test.block", Map.of("SUCCESS", 1L));
	}

	@Test
	void describesSendOnlyApplication() {
		TaskQueueDescriptor descriptor = new TaskQueueEndpoint(this.broker, this.backend, null, null, null,
				Show.NEVER)
			.taskQueue();
		assertThat(descriptor.node()).isNull();
		assertThat(descriptor.running()).isFalse();
		assertThat(descriptor.broker()).isEqualTo("memory://");
		assertThat(descriptor.backend()).isEqualTo("memory://");
		assertThat(descriptor.queues()).isEmpty();
		assertThat(descriptor.concurrency()).isNull();
		assertThat(descriptor.prefetchCount()).isNull();
		assertThat(descriptor.registeredTasks()).isEmpty();
		assertThat(descriptor.active()).isEmpty();
		assertThat(descriptor.processed()).isEmpty();
		assertThat(descriptor.processedTotal()).isZero();
	}

	@Test
	void serializesWithJackson() {
		this.worker.start();
		this.template.send("test.add", 1, 1).get(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> this.endpoint.taskQueue().processedTotal() == 1);
		JsonNode json = JsonMapper.builder().build().valueToTree(this.endpoint.taskQueue());
		assertThat(json.propertyNames()).containsExactlyInAnyOrder("node", "running", "broker", "backend", "queues",
				"concurrency", "prefetchCount", "registeredTasks", "active", "reserved", "processed",
				"processedTotal", "rejected", "abandoned", "runaways", "beat", "held", "queueLengths", "clients");
		assertThat(json.get("node").asString()).isEqualTo("celery@endpoint-test");
		assertThat(json.get("prefetchCount").asInt()).isEqualTo(6);
		assertThat(json.get("registeredTasks").get(0).asString()).isEqualTo("test.add");
		assertThat(json.at("/processed/test.add/SUCCESS").asLong()).isEqualTo(1);
	}

	@Test
	void showsQueueLengthsDeadLettersAndHeldTasks() {
		this.worker.start();
		this.template.task("test.add").args(1, 1).countdown(Duration.ofHours(1)).send();
		this.template.send("test.nosuch");
		await().atMost(TIMEOUT).untilAsserted(() -> {
			TaskQueueDescriptor descriptor = this.endpoint.taskQueue();
			assertThat(descriptor.held()).isEqualTo(1);
			assertThat(descriptor.queueLengths()).containsExactly(new QueueDescriptor("celery", 0L, 1L),
					new QueueDescriptor("other", 0L, 0L));
		});
	}

	@Test
	void showsATaskWithItsStateAndTheWorkerHoldingItAcrossTheFleet() {
		this.worker.start();
		TaskQueueControl control = new TaskQueueControl(this.broker, this.clock);
		this.endpoint.setFleet(control, null, this.template);
		try (PidboxNode node = mailbox()) {
			node.start();
			AsyncResult<Object> blocked = this.template.send("test.block", "x", "y");
			await().atMost(TIMEOUT).untilAsserted(() -> {
				TaskDescriptor task = this.endpoint.item("tasks", blocked.id());
				assertThat(task.node()).isEqualTo("celery@endpoint-test");
				assertThat(task.stage()).isEqualTo("active");
			});
			ClusterDescriptor cluster = this.endpoint.section("cluster");
			assertThat(cluster.nodes()).singleElement().satisfies((described) -> {
				assertThat(described.alive()).isTrue();
				assertThat(described.active()).singleElement().satisfies((task) -> {
					assertThat(task.id()).isEqualTo(blocked.id());
					assertThat(task.args()).isEqualTo("******");
				});
			});
			this.tasks.release.countDown();
			assertThat(blocked.get(TIMEOUT)).isEqualTo("x:y");
			TaskDescriptor done = this.endpoint.item("tasks", blocked.id());
			assertThat(done.state()).isEqualTo("SUCCESS");
			assertThat(done.result()).isEqualTo("******");
		}
		assertThat(this.endpoint.section("cluster").nodes()).singleElement()
			.satisfies((described) -> assertThat(described.alive()).isFalse());
	}

	@Test
	void theClusterListsTheWorkersHeardThroughTheirEvents() {
		ClusterState events = new ClusterState();
		Map<String, Object> heartbeat = new LinkedHashMap<>();
		heartbeat.put("hostname", "py@host");
		heartbeat.put("utcoffset", 0);
		heartbeat.put("pid", 4242);
		heartbeat.put("clock", 7);
		heartbeat.put("freq", 2.0);
		heartbeat.put("active", 0);
		heartbeat.put("processed", 3);
		heartbeat.put("loadavg", List.of(0.1, 0.2, 0.3));
		heartbeat.put("sw_ident", "py-celery");
		heartbeat.put("sw_ver", "5.2.6");
		heartbeat.put("sw_sys", "Linux");
		heartbeat.put("timestamp", Instant.now().toEpochMilli() / 1000.0);
		heartbeat.put("type", "worker-heartbeat");
		events.accept(heartbeat);
		this.endpoint.setFleet(null, events, this.template);
		assertThat(this.endpoint.section("cluster").nodes()).singleElement().satisfies((node) -> {
			assertThat(node.name()).isEqualTo("py@host");
			assertThat(node.alive()).isTrue();
			assertThat(node.software()).isEqualTo("py-celery 5.2.6");
			assertThat(node.lastHeartbeat()).isNotNull();
		});
	}

	@Test
	void revokesRateLimitsAndPausesAndResumesQueues() {
		this.worker.start();
		TaskQueueControl control = new TaskQueueControl(this.broker, this.clock);
		this.endpoint.setFleet(control, null, this.template);
		this.template.setRevokedTaskStore(this.revokes);
		this.worker.setRevokedTaskStore(this.revokes);
		try (PidboxNode node = mailbox()) {
			node.start();
			assertThat(this.endpoint.act("tasks", "revoked-by-actuator", true, null, null))
				.containsEntry("revoked", "revoked-by-actuator");
			assertThat(this.revokes.isRevoked("revoked-by-actuator")).isTrue();
			assertThat(this.endpoint.act("task-types", "test.add", null, "5/s", null).get("replies"))
				.isEqualTo(Map.of("celery@endpoint-test", "new rate limit set successfully"));
			assertThat(this.endpoint.act("queues", "other", null, null, "pause")).containsEntry("changed", true);
			assertThat(this.endpoint.taskQueue().queueLengths()).extracting(QueueDescriptor::name)
				.containsExactly("celery");
			assertThat(this.endpoint.act("queues", "other", null, null, "resume")).containsEntry("changed", true);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> this.endpoint.act("queues", "other", null, null, "explode"))
				.withMessageContaining("pause or resume");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> this.endpoint.act("nothing", "x", null, null, null));
		}
	}

	private PidboxNode mailbox() {
		WorkerCommands commands = new WorkerCommands(this.worker.control(), this.clock);
		return new PidboxNode(this.broker, this.clock, "celery@endpoint-test", commands.commands());
	}

	/**
	 * Tasks run by the worker under test.
	 */
	static class Tasks {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@CeleryTask(name = "test.add")
		long add(long x, long y) {
			return x + y;
		}

		@CeleryTask(name = "test.fail")
		void fail(String message) {
			throw new IllegalStateException(message);
		}

		@CeleryTask(name = "test.block")
		String block(String value, String tag) throws InterruptedException {
			this.started.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return value + ":" + tag;
		}

	}

}
