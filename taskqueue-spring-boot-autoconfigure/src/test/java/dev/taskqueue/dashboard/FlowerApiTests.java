package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueControlAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueDashboardAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEventsAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.CeleryTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Tests for the REST API in Flower's shapes, through Spring MVC, on the in-memory broker with
 * a worker in the application that sends task events.
 */
class FlowerApiTests {

	static final String WORKER = "flower@test";

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	static final List<String> TASK_FIELDS = List.of("uuid", "name", "state", "received", "sent", "started",
			"rejected", "succeeded", "failed", "retried", "revoked", "args", "kwargs", "eta", "expires", "retries",
			"worker", "result", "exception", "timestamp", "runtime", "traceback", "exchange", "routing_key", "clock",
			"client", "root", "root_id", "parent", "parent_id", "children");

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueControlAutoConfiguration.class,
				TaskQueueEventsAutoConfiguration.class, TaskQueueDashboardAutoConfiguration.class))
		.withUserConfiguration(FlowerTasksConfiguration.class)
		.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.dashboard.read-only=false",
				"taskqueue.worker.hostname=" + WORKER,
				"taskqueue.worker.send-task-events=true", "taskqueue.events.heartbeat-interval=200ms");

	@Test
	void asyncApplyRunsTheTaskOnTheWorkerAndItsResultBecomesSuccess() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			Map<String, Object> sent = ok(mvc, post("/taskqueue/api/task/async-apply/flower.add")
				.contentType(MediaType.APPLICATION_JSON).content("{\"args\": [1, 2]}"));
			assertThat(sent).containsOnlyKeys("task-id", "state");
			String id = (String) sent.get("task-id");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ok(mvc, get("/taskqueue/api/task/result/" + id)))
				.containsExactlyInAnyOrderEntriesOf(Map.of("task-id", id, "state", "SUCCESS", "result", 3)));
			Map<String, Object> waited = ok(mvc, post("/taskqueue/api/task/send-task/flower.add")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [2], \"kwargs\": {\"y\": 5}, \"options\": {\"countdown\": 0}}"));
			assertThat(ok(mvc, get("/taskqueue/api/task/result/" + waited.get("task-id") + "?timeout=5")))
				.containsEntry("state", "SUCCESS").containsEntry("result", 7);
		});
	}

	@Test
	void applyWaitsForTheResultAndAFailureCarriesItsTraceback() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			Map<String, Object> applied = ok(mvc, post("/taskqueue/api/task/apply/flower.add")
				.contentType(MediaType.APPLICATION_JSON).content("{\"args\": [3, 4], \"queue\": \"celery\"}"));
			assertThat(applied).containsOnlyKeys("task-id", "state", "result")
				.containsEntry("state", "SUCCESS").containsEntry("result", 7);
			Map<String, Object> failed = ok(mvc, post("/taskqueue/api/task/apply/flower.fail").content(""));
			assertThat(failed).containsOnlyKeys("task-id", "state", "result", "traceback")
				.containsEntry("state", "FAILURE");
			assertThat((String) failed.get("result")).contains("broken on purpose");
			assertThat((String) failed.get("traceback")).isNotBlank();
			assertThat(ok(mvc, get("/taskqueue/api/task/result/" + failed.get("task-id"))))
				.containsEntry("state", "FAILURE").containsKey("traceback");
		});
	}

	@Test
	void badSendsAreRefusedWithFlowersMessages() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			String path = "/taskqueue/api/task/async-apply/flower.add";
			assertThat(error(mvc, post(path).contentType(MediaType.APPLICATION_JSON).content("{\"args\": 1}"), 400))
				.isEqualTo("args must be an array");
			assertThat(error(mvc, post(path).contentType(MediaType.APPLICATION_JSON).content("[1, 2]"), 400))
				.isEqualTo("invalid options");
			assertThat(error(mvc, post(path).contentType(MediaType.APPLICATION_JSON).content("{\"args\": "), 400))
				.isEqualTo("The request body is not valid JSON");
			assertThat(error(mvc, post(path).contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [1, 2], \"link\": \"x\"}"), 400)).startsWith("Unknown option 'link'");
			assertThat(error(mvc, post(path).contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [1, 2], \"countdown\": \"soon\"}"), 400)).contains("countdown");
			assertThat(error(mvc, post("/taskqueue/api/task/async-apply/flower.unknown"), 404))
				.isEqualTo("Unknown task 'flower.unknown'");
			assertThat(ok(mvc, post("/taskqueue/api/task/send-task/flower.unknown"))).containsKeys("task-id", "state");
			assertThat(error(mvc, get("/taskqueue/api/task/result/x?timeout=-1"), 400)).contains("timeout");
			assertThat(error(mvc, post("/taskqueue/api/task/abort/x"), 501)).contains("not supported");
		});
	}

	@Test
	void everyActionIsRefusedInReadOnlyMode() {
		this.contextRunner.withPropertyValues("taskqueue.dashboard.read-only=true").run((context) -> {
			MockMvc mvc = mvc(context);
			List<RequestBuilder> writes = List.of(
					post("/taskqueue/api/task/async-apply/flower.add").contentType(MediaType.APPLICATION_JSON)
						.content("{\"args\": [1, 2]}"),
					post("/taskqueue/api/task/send-task/flower.add"), post("/taskqueue/api/task/apply/flower.add"),
					post("/taskqueue/api/task/revoke/abc"),
					post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "1/s"),
					post("/taskqueue/api/task/timeout/flower.add").param("soft", "1"),
					post("/taskqueue/api/worker/pool/grow/" + WORKER),
					post("/taskqueue/api/worker/queue/add-consumer/" + WORKER).param("queue", "other"),
					post("/taskqueue/api/worker/shutdown/" + WORKER));
			for (RequestBuilder write : writes) {
				assertThat(error(mvc, write, 403)).startsWith("Read only mode is enabled");
			}
			assertThat(ok(mvc, get("/taskqueue/api/task/types"))).containsKey("task-types");
		});
	}

	@Test
	void revokeRateLimitAndConsumersAnswerAsFlower() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			assertThat(ok(mvc, post("/taskqueue/api/task/revoke/abc").param("terminate", "true")))
				.isEqualTo(Map.of("message", "Revoked 'abc'"));
			assertThat(error(mvc, post("/taskqueue/api/task/revoke/abc").param("signal", "SIGKILL"), 400))
				.contains("SIGTERM");
			assertThat(ok(mvc, post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "10/m")
				.param("workername", WORKER))).isEqualTo(Map.of("message", "new rate limit set successfully"));
			assertThat(ok(mvc, post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "20/m")))
				.isEqualTo(Map.of("message", "new rate limit set successfully"));
			assertThat(error(mvc, post("/taskqueue/api/task/rate-limit/flower.unknown").param("ratelimit", "1/s"), 404))
				.isEqualTo("Unknown task 'flower.unknown'");
			assertThat(error(mvc, post("/taskqueue/api/task/rate-limit/flower.add").param("ratelimit", "1/s")
				.param("workername", "nobody@test"), 404)).isEqualTo("Unknown worker 'nobody@test'");
			assertThat(error(mvc, post("/taskqueue/api/task/rate-limit/flower.add"), 400))
				.isEqualTo("Missing argument ratelimit");
			assertThat(ok(mvc, post("/taskqueue/api/worker/queue/add-consumer/" + WORKER).param("queue", "extra")))
				.containsKey("message");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ok(mvc, get("/taskqueue/api/queues/length")))
				.isEqualTo(Map.of("active_queues", List.of(Map.of("name", "celery", "messages", 0),
						Map.of("name", "extra", "messages", 0)))));
			assertThat(ok(mvc, post("/taskqueue/api/worker/queue/cancel-consumer/" + WORKER).param("queue", "extra")))
				.containsKey("message");
			assertThat(error(mvc, post("/taskqueue/api/worker/queue/cancel-consumer/nobody@test").param("queue", "x"),
					404)).isEqualTo("Unknown worker 'nobody@test'");
		});
	}

	@Test
	void workersShowTheReplyOfEachInspectCommand() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			Map<String, Object> workers = ok(mvc, get("/taskqueue/api/workers").param("refresh", "true"));
			assertThat(workers).containsOnlyKeys(WORKER);
			Map<String, Object> worker = map(workers.get(WORKER));
			assertThat(worker).containsKeys("stats", "active_queues", "registered", "scheduled", "active", "reserved",
					"revoked", "conf", "timestamp");
			assertThat(list(worker.get("registered"))).contains("flower.add", "flower.fail");
			assertThat(list(worker.get("active_queues"))).first()
				.satisfies((queue) -> assertThat(map(queue)).containsEntry("name", "celery"));
			assertThat(map(worker.get("stats"))).containsKeys("total", "pid", "pool");
			assertThat(ok(mvc, get("/taskqueue/api/workers").param("workername", WORKER))).containsOnlyKeys(WORKER);
			assertThat(error(mvc, get("/taskqueue/api/workers").param("workername", "nobody@test"), 404))
				.isEqualTo("Unknown worker 'nobody@test'");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ok(mvc, get("/taskqueue/api/workers?status=true")))
				.isEqualTo(Map.of(WORKER, true)));
		});
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (List<Object>) value;
	}

	static MockMvc mvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).build();
	}

	static Map<String, Object> ok(MockMvc mvc, RequestBuilder request) throws Exception {
		MvcResult result = mvc.perform(request).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		return json.readValue(result.getResponse().getContentAsString(), new TypeReference<>() {
		});
	}

	static String error(MockMvc mvc, RequestBuilder request, int status) throws Exception {
		MvcResult result = mvc.perform(request).andReturn();
		String body = result.getResponse().getContentAsString();
		assertThat(result.getResponse().getStatus()).as(body).isEqualTo(status);
		Map<String, Object> error = json.readValue(body, new TypeReference<>() {
		});
		assertThat(error).containsOnlyKeys("error");
		return (String) error.get("error");
	}

	@Configuration(proxyBeanMethods = false)
	static class FlowerTasksConfiguration {

		@Bean
		FlowerTestTasks flowerTestTasks() {
			return new FlowerTestTasks();
		}

	}

	static class FlowerTestTasks {

		@CeleryTask(name = "flower.add")
		int add(int x, int y) {
			return x + y;
		}

		@CeleryTask(name = "flower.fail")
		int fail() {
			throw new IllegalStateException("broken on purpose");
		}

	}

}
