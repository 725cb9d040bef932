package dev.taskqueue.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the inspect commands against a running worker on the in-memory transports: the
 * shapes and key order of Celery 5.2's replies, and what they hold while tasks run, wait and
 * are held for their ETA.
 */
class InspectCommandsTests {

	@Test
	void pingAnswersPong() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			assertThat(fixture.call("ping")).isEqualTo(Map.of("ok", "pong"));
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void activeReservedAndScheduledShowWhereEachTaskIs() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			AsyncResult<Object> running = fixture.template.send("c.block", "first");
			await().atMost(ControlFixture.WAIT).until(() -> fixture.tasks.running.get() == 1);
			AsyncResult<Object> waiting = fixture.template.send("c.block", "second");
			AsyncResult<Object> later = fixture.template.task("c.add").args(1, 2).countdown(Duration.ofHours(1)).send();
			await().atMost(ControlFixture.WAIT).until(() -> fixture.worker.control().requests().size() == 3);

			List<Map<String, Object>> active = (List<Map<String, Object>>) fixture.call("active");
			assertThat(active).hasSize(1);
			Map<String, Object> info = active.get(0);
			assertThat(info).containsOnlyKeys("id", "name", "args", "kwargs", "type", "hostname", "time_start",
					"acknowledged", "delivery_info", "worker_pid");
			assertThat(List.copyOf(info.keySet())).containsExactly("id", "name", "args", "kwargs", "type",
					"hostname", "time_start", "acknowledged", "delivery_info", "worker_pid");
			assertThat(info).containsEntry("id", running.id())
				.containsEntry("name", "c.block")
				.containsEntry("type", "c.block")
				.containsEntry("args", List.of("first"))
				.containsEntry("kwargs", Map.of())
				.containsEntry("hostname", "control@test")
				.containsEntry("acknowledged", false)
				.containsEntry("worker_pid", ProcessHandle.current().pid());
			assertThat(info.get("time_start")).isInstanceOf(Double.class);
			assertThat((Map<String, Object>) info.get("delivery_info")).containsEntry("routing_key", "celery")
				.containsEntry("exchange", "")
				.containsKeys("priority", "redelivered");

			List<Map<String, Object>> safe = (List<Map<String, Object>>) fixture.call("active", Map.of("safe", true));
			assertThat(safe.get(0)).containsEntry("args", "('first',)").containsEntry("kwargs", "{}");

			List<Map<String, Object>> reserved = (List<Map<String, Object>>) fixture.call("reserved");
			assertThat(reserved).singleElement().satisfies((request) -> {
				assertThat(request).containsEntry("id", waiting.id()).containsEntry("args", List.of("second"));
				assertThat(request.get("time_start")).isNull();
				assertThat(request.get("worker_pid")).isNull();
			});

			List<Map<String, Object>> scheduled = (List<Map<String, Object>>) fixture.call("scheduled");
			assertThat(scheduled).singleElement().satisfies((item) -> {
				assertThat(List.copyOf(item.keySet())).containsExactly("eta", "priority", "request");
				assertThat(item).containsEntry("priority", 6);
				assertThat((String) item.get("eta")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
				assertThat((Map<String, Object>) item.get("request")).containsEntry("id", later.id())
					.containsEntry("args", List.of(1, 2));
			});

			Map<String, Object> query = (Map<String, Object>) fixture.call("query_task",
					Map.of("ids", List.of(running.id(), waiting.id(), later.id(), "unknown")));
			assertThat(query).containsOnlyKeys(running.id(), waiting.id(), later.id());
			assertThat((List<Object>) query.get(running.id())).first().isEqualTo("active");
			assertThat((List<Object>) query.get(waiting.id())).first().isEqualTo("reserved");

			fixture.tasks.release.countDown();
			assertThat(waiting.get(ControlFixture.WAIT)).isEqualTo("second");
			await().atMost(ControlFixture.WAIT).until(() -> ((List<?>) fixture.call("active")).isEmpty());
			assertThat((List<?>) fixture.call("reserved")).isEmpty();
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void statsHasEverythingFlowerReads() {
		try (ControlFixture fixture = new ControlFixture(3).start()) {
			assertThat(fixture.template.send("c.add", 1, 2).get(ControlFixture.WAIT)).isEqualTo(3);
			fixture.clock.adjust(41);

			Map<String, Object> stats = (Map<String, Object>) fixture.call("stats");

			assertThat(List.copyOf(stats.keySet())).containsExactly("total", "pid", "clock", "uptime", "pool",
					"broker", "prefetch_count", "rusage");
			assertThat(stats).containsEntry("total", Map.of("c.add", 1L))
				.containsEntry("pid", ProcessHandle.current().pid())
				.containsEntry("clock", "42")
				.containsEntry("prefetch_count", 12);
			assertThat(stats.get("uptime")).isInstanceOf(Long.class);
			Map<String, Object> pool = (Map<String, Object>) stats.get("pool");
			assertThat(List.copyOf(pool.keySet())).containsExactly("implementation", "max-concurrency", "processes",
					"max-tasks-per-child", "put-guarded-by-semaphore", "timeouts");
			assertThat(pool).containsEntry("max-concurrency", 3).containsEntry("max-tasks-per-child", "N/A");
			assertThat((String) pool.get("implementation")).startsWith("java:");
			Map<String, Object> broker = (Map<String, Object>) stats.get("broker");
			assertThat(broker).containsKeys("hostname", "userid", "virtual_host", "port", "ssl", "transport")
				.containsEntry("transport", "memory");
			Object rusage = stats.get("rusage");
			if (rusage instanceof Map<?, ?>) {
				Map<String, Object> usage = (Map<String, Object>) rusage;
				assertThat(usage).containsKeys("utime", "stime", "maxrss", "nvcsw", "nivcsw");
				assertThat(usage.get("utime")).isInstanceOf(Double.class);
			}
			else {
				assertThat(rusage).isEqualTo("N/A");
			}
		}
	}

	@Test
	void brokerObjectIsReadFromTheUrlWithoutThePassword() {
		assertThat(BrokerInfo.of("amqp://guest:**@127.0.0.1:5672//")).containsEntry("hostname", "127.0.0.1")
			.containsEntry("userid", "guest")
			.containsEntry("virtual_host", "/")
			.containsEntry("port", 5672)
			.containsEntry("transport", "amqp")
			.containsEntry("login_method", "PLAIN")
			.containsEntry("ssl", false);
		assertThat(BrokerInfo.of("rediss://:secret@redis.example:6380/3")).containsEntry("hostname", "redis.example")
			.containsEntry("userid", null)
			.containsEntry("virtual_host", "3")
			.containsEntry("port", 6380)
			.containsEntry("transport", "redis")
			.containsEntry("ssl", true)
			.doesNotContainValue("secret");
		assertThat(BrokerInfo.of("redis://localhost")).containsEntry("port", 6379).containsEntry("virtual_host", "0");
		assertThat(BrokerInfo.of("amqp://guest:**@127.0.0.1:5672//")).containsEntry("alternates", List.of())
			.containsEntry("failover_strategy", "round-robin");
	}

	@Test
	void brokerObjectOfAFailoverUrlListsEveryNodeWithoutPasswords() {
		Map<String, Object> info = BrokerInfo
			.of("amqp://app:s3cret@rabbit-1:5673/orders;amqp://rabbit-2;amqps://app:p@ss@rabbit-3//");
		assertThat(info).containsEntry("hostname", "rabbit-1")
			.containsEntry("userid", "app")
			.containsEntry("virtual_host", "orders")
			.containsEntry("port", 5673)
			.containsEntry("alternates", List.of("amqp://app:**@rabbit-1:5673/orders", "amqp://rabbit-2",
					"amqps://app:**@rabbit-3//"));
		assertThat(info.toString()).doesNotContain("s3cret").doesNotContain("p@ss");
		assertThat(BrokerInfo.of("amqp://app:**@rabbit-1//;amqp://app:**@rabbit-2//")).containsEntry("alternates",
				List.of("amqp://app:**@rabbit-1//", "amqp://app:**@rabbit-2//"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void registeredListsTheTasksWithTheirAttributes() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			assertThat((List<String>) fixture.call("registered")).containsExactly("c.add", "c.block", "c.sleep",
					"c.tick [rate_limit=100/s]");
			assertThat((List<String>) fixture.call("registered", Map.of("taskinfoitems", List.of("acks_late"))))
				.contains("c.add [acks_late=True]");
			assertThat((List<String>) fixture.call("registered", Map.of("builtins", true)))
				.anyMatch((name) -> name.startsWith("celery."));
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void activeQueuesShowTheDeclarationsOfTheQueuesConsumed() {
		try (ControlFixture fixture = new ControlFixture(1)) {
			fixture.commands.setQueues(List.of(new QueueSpec("celery", "tasks", ExchangeType.TOPIC, "tasks.#", true, 10)));
			fixture.start();

			List<Map<String, Object>> queues = (List<Map<String, Object>>) fixture.call("active_queues");

			assertThat(queues).singleElement().satisfies((queue) -> {
				assertThat(queue).containsKeys("name", "exclusive", "durable", "routing_key", "no_ack", "alias",
						"queue_arguments", "binding_arguments", "auto_delete");
				assertThat(queue).containsEntry("name", "celery")
					.containsEntry("routing_key", "tasks.#")
					.containsEntry("max_priority", 10);
				assertThat((Map<String, Object>) queue.get("exchange")).containsEntry("name", "tasks")
					.containsEntry("type", "topic");
			});
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void clockConfAndReportAnswer() {
		try (ControlFixture fixture = new ControlFixture(1)) {
			fixture.commands.setConfiguration(Map.of("task_default_queue", "celery"));
			fixture.start();
			fixture.clock.adjust(9);

			assertThat(fixture.call("clock")).isEqualTo(Map.of("clock", 11L));
			assertThat(fixture.call("conf", Map.of("with_defaults", false)))
				.isEqualTo(Map.of("task_default_queue", "celery"));
			Map<String, Object> report = (Map<String, Object>) fixture.call("report");
			assertThat((String) report.get("ok")).contains("taskqueue").contains("control@test");
		}
	}

}
