package dev.taskqueue.dashboard;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.RequestBuilder;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Tests for the REST API in Flower's shapes, through Spring MVC, on the in-memory broker with
 * a worker in the application that sends task events.
 */
class FlowerApiTests {

	private final WebApplicationContextRunner contextRunner = FlowerClient.contextRunner();

	@Test
	void asyncApplyRunsTheTaskOnTheWorkerAndItsResultBecomesSuccess() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			Map<String, Object> sent = mvc.ok(post("/taskqueue/api/task/async-apply/flower.add")
				.contentType(MediaType.APPLICATION_JSON).content("{\"args\": [1, 2]}"));
			assertThat(sent).containsOnlyKeys("task-id", "state");
			String id = (String) sent.get("task-id");
			await().atMost(FlowerClient.TIMEOUT).untilAsserted(() -> assertThat(mvc.ok(get("/taskqueue/api/task/result/" + id)))
				.containsExactlyInAnyOrderEntriesOf(Map.of("task-id", id, "state", "SUCCESS", "result", 3)));
			Map<String, Object> waited = mvc.ok(post("/taskqueue/api/task/send-task/flower.add")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [2], \"kwargs\": {\"y\": 5}, \"options\": {\"countdown\": 0}}"));
			assertThat(mvc.ok(get("/taskqueue/api/task/result/" + waited.get("task-id") + "?timeout=5")))
				.containsEntry("state", "SUCCESS").containsEntry("result", 7);
		});
	}

	@Test
	void applyWaitsForTheResultAndAFailureCarriesItsTraceback() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			Map<String, Object> applied = mvc.ok(post("/taskqueue/api/task/apply/flower.add")
				.contentType(MediaType.APPLICATION_JSON).content("{\"args\": [3, 4], \"queue\": \"celery\"}"));
			assertThat(applied).containsOnlyKeys("task-id", "state", "result")
				.containsEntry("state", "SUCCESS").containsEntry("result", 7);
			Map<String, Object> failed = mvc.ok(post("/taskqueue/api/task/apply/flower.fail").content(""));
			assertThat(failed).containsOnlyKeys("task-id", "state", "result", "traceback")
				.containsEntry("state", "FAILURE");
			assertThat((String) failed.get("result")).contains("broken on purpose");
			assertThat((String) failed.get("traceback")).isNotBlank();
			assertThat(mvc.ok(get("/taskqueue/api/task/result/" + failed.get("task-id"))))
				.containsEntry("state", "FAILURE").containsKey("traceback");
		});
	}

	@Test
	void badSendsAreRefusedWithFlowersMessages() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			String path = "/taskqueue/api/task/async-apply/flower.add";
			assertThat(mvc.error(post(path).contentType(MediaType.APPLICATION_JSON).content("{\"args\": 1}"), 400))
				.isEqualTo("args must be an array");
			assertThat(mvc.error(post(path).contentType(MediaType.APPLICATION_JSON).content("[1, 2]"), 400))
				.isEqualTo("invalid options");
			assertThat(mvc.error(post(path).contentType(MediaType.APPLICATION_JSON).content("{\"args\": "), 400))
				.isEqualTo("The request body is not valid JSON");
			assertThat(mvc.error(post(path).contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [1, 2], \"link\": \"x\"}"), 400)).startsWith("Unknown option 'link'");
			assertThat(mvc.error(post(path).contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [1, 2], \"countdown\": \"soon\"}"), 400)).contains("countdown");
			assertThat(mvc.error(post("/taskqueue/api/task/async-apply/flower.unknown"), 404))
				.isEqualTo("Unknown task 'flower.unknown'");
			assertThat(mvc.ok(post("/taskqueue/api/task/send-task/flower.unknown"))).containsKeys("task-id", "state");
			assertThat(mvc.error(get("/taskqueue/api/task/result/x?timeout=-1"), 400)).contains("timeout");
			assertThat(mvc.error(post("/taskqueue/api/task/abort/x"), 501)).contains("not supported");
		});
	}

	@Test
	void everyActionIsRefusedInReadOnlyMode() {
		this.contextRunner.withPropertyValues("taskqueue.dashboard.read-only=true").run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			List<RequestBuilder> writes = List.of(
					post("/taskqueue/api/task/async-apply/flower.add").contentType(MediaType.APPLICATION_JSON)
						.content("{\"args\": [1, 2]}"),
					post("/taskqueue/api/task/send-task/flower.add"), post("/taskqueue/api/task/apply/flower.add"),
					post("/taskqueue/api/task/revoke/abc"),
					post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "1/s"),
					post("/taskqueue/api/task/timeout/flower.add").param("soft", "1"),
					post("/taskqueue/api/worker/pool/grow/" + FlowerClient.WORKER),
					post("/taskqueue/api/worker/queue/add-consumer/" + FlowerClient.WORKER).param("queue", "other"),
					post("/taskqueue/api/worker/shutdown/" + FlowerClient.WORKER));
			for (RequestBuilder write : writes) {
				assertThat(mvc.error(write, 403)).startsWith("Read only mode is enabled");
			}
			assertThat(mvc.ok(get("/taskqueue/api/task/types"))).containsKey("task-types");
		});
	}

	@Test
	void revokeRateLimitAndConsumersAnswerAsFlower() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			assertThat(mvc.ok(post("/taskqueue/api/task/revoke/abc").param("terminate", "true")))
				.isEqualTo(Map.of("message", "Revoked 'abc'"));
			assertThat(mvc.error(post("/taskqueue/api/task/revoke/abc").param("signal", "SIGKILL"), 400))
				.contains("SIGTERM");
			assertThat(mvc.ok(post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "10/m")
				.param("workername", FlowerClient.WORKER))).isEqualTo(Map.of("message", "new rate limit set successfully"));
			assertThat(mvc.ok(post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "20/m")))
				.isEqualTo(Map.of("message", "new rate limit set successfully"));
			assertThat(mvc.error(post("/taskqueue/api/task/rate-limit/flower.unknown").param("ratelimit", "1/s"), 404))
				.isEqualTo("Unknown task 'flower.unknown'");
			assertThat(mvc.error(post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "1/s")
				.param("workername", "nobody@test"), 404)).isEqualTo("Unknown worker 'nobody@test'");
			assertThat(mvc.error(post("/taskqueue/api/task/rate-limit/flower.add"), 400))
				.isEqualTo("Missing argument ratelimit");
			assertThat(mvc.ok(post("/taskqueue/api/worker/queue/add-consumer/" + FlowerClient.WORKER).param("queue", "extra")))
				.containsKey("message");
			await().atMost(FlowerClient.TIMEOUT).untilAsserted(() -> assertThat(mvc.ok(get("/taskqueue/api/queues/length")))
				.isEqualTo(Map.of("active_queues", List.of(Map.of("name", "celery", "messages", 0),
						Map.of("name", "extra", "messages", 0)))));
			assertThat(mvc.ok(post("/taskqueue/api/worker/queue/cancel-consumer/" + FlowerClient.WORKER).param("queue", "extra")))
				.containsKey("message");
			assertThat(mvc.error(post("/taskqueue/api/worker/queue/cancel-consumer/nobody@test").param("queue", "x"),
					404)).isEqualTo("Unknown worker 'nobody@test'");
		});
	}

	@Test
	void poolTimeLimitsAndShutdownAnswerAsFlower() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			String worker = FlowerClient.WORKER;
			assertThat(mvc.ok(post("/taskqueue/api/worker/pool/grow/" + worker).param("n", "2")))
				.isEqualTo(Map.of("message", "Growing '" + worker + "' worker's pool by 2"));
			assertThat(mvc.ok(post("/taskqueue/api/worker/pool/shrink/" + worker)))
				.isEqualTo(Map.of("message", "Shrinking '" + worker + "' worker's pool by 1"));
			assertThat(mvc.ok(post("/taskqueue/api/worker/pool/autoscale/" + worker).param("min", "1").param("max", "4")))
				.isEqualTo(Map.of("message", "Autoscaling '" + worker + "' worker (min=1, max=4)"));
			assertThat(mvc.error(post("/taskqueue/api/worker/pool/autoscale/" + worker).param("min", "x").param("max", "4"),
					400)).contains("x");
			assertThat(mvc.ok(post("/taskqueue/api/task/timeout/flower.add").param("soft", "10").param("hard", "20")
				.param("workername", worker))).containsKey("message");
			assertThat(mvc.error(post("/taskqueue/api/worker/pool/grow/nobody@test"), 404))
				.isEqualTo("Unknown worker 'nobody@test'");
			assertThat(mvc.ok(post("/taskqueue/api/worker/shutdown/" + worker)))
				.isEqualTo(Map.of("message", "Shutting down!"));
			assertThat(mvc.error(post("/taskqueue/api/worker/shutdown/nobody@test"), 404))
				.isEqualTo("Unknown worker 'nobody@test'");
			assertThat(mvc.error(post("/taskqueue/api/worker/pool/restart/" + worker), 403))
				.startsWith("Failed to restart the '" + worker + "' pool: ");
		});
	}

	@Test
	void withoutRemoteControlWorkersComeFromTheEventsAndControlIsRefused() {
		this.contextRunner.withPropertyValues("taskqueue.control.enabled=false").run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			await().atMost(FlowerClient.TIMEOUT).untilAsserted(() -> assertThat(
					FlowerClient.map(mvc.ok(get("/taskqueue/api/workers")).get(FlowerClient.WORKER)))
				.containsEntry("hostname", FlowerClient.WORKER)
				.containsEntry("alive", true)
				.containsEntry("sw_ident", "taskqueue")
				.containsKeys("pid", "freq", "active", "processed", "loadavg", "timestamp"));
			assertThat(mvc.ok(get("/taskqueue/api/workers?status=true"))).isEqualTo(Map.of(FlowerClient.WORKER, true));
			assertThat(mvc.error(get("/taskqueue/api/workers?workername=nobody@test"), 404))
				.isEqualTo("Unknown worker 'nobody@test'");
			assertThat(mvc.error(post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "1/s"), 403))
				.contains("Remote control is off");
			assertThat(mvc.ok(get("/taskqueue/api/queues/length")))
				.isEqualTo(Map.of("active_queues", List.of(Map.of("name", "celery", "messages", 0))));
		});
	}

	@Test
	void workersShowTheReplyOfEachInspectCommand() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			Map<String, Object> workers = mvc.ok(get("/taskqueue/api/workers").param("refresh", "true"));
			assertThat(workers).containsOnlyKeys(FlowerClient.WORKER);
			Map<String, Object> worker = FlowerClient.map(workers.get(FlowerClient.WORKER));
			assertThat(worker).containsKeys("stats", "active_queues", "registered", "scheduled", "active", "reserved",
					"revoked", "conf", "timestamp");
			assertThat(FlowerClient.list(worker.get("registered"))).contains("flower.add", "flower.fail");
			assertThat(FlowerClient.list(worker.get("active_queues"))).first()
				.satisfies((queue) -> assertThat(FlowerClient.map(queue)).containsEntry("name", "celery"));
			assertThat(FlowerClient.map(worker.get("stats"))).containsKeys("total", "pid", "pool");
			assertThat(mvc.ok(get("/taskqueue/api/workers").param("workername", FlowerClient.WORKER))).containsOnlyKeys(FlowerClient.WORKER);
			assertThat(mvc.error(get("/taskqueue/api/workers").param("workername", "nobody@test"), 404))
				.isEqualTo("Unknown worker 'nobody@test'");
			await().atMost(FlowerClient.TIMEOUT).untilAsserted(() -> assertThat(mvc.ok(get("/taskqueue/api/workers?status=true")))
				.isEqualTo(Map.of(FlowerClient.WORKER, true)));
		});
	}

}
