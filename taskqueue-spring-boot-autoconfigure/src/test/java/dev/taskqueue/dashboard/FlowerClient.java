package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
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
 * Calls the REST API through MockMvc and reads its JSON answers, asserting their status; and
 * the context the API tests share.
 */
final class FlowerClient {

	static final String WORKER = "flower@test";

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final List<String> TASK_FIELDS = List.of("uuid", "name", "state", "received", "sent", "started",
			"rejected", "succeeded", "failed", "retried", "revoked", "args", "kwargs", "eta", "expires", "retries",
			"worker", "result", "exception", "timestamp", "runtime", "traceback", "exchange", "routing_key", "clock",
			"client", "root", "root_id", "parent", "parent_id", "children");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final MockMvc mvc;

	FlowerClient(WebApplicationContext context) {
		this.mvc = MockMvcBuilders.webAppContextSetup(context).build();
	}

	/**
	 * A web application with Spring MVC, the starter's auto-configurations, the in-memory
	 * broker, a worker named {@link #WORKER} sending task events, and the dashboard in
	 * read-write mode.
	 * @return the context runner
	 */
	static WebApplicationContextRunner contextRunner() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
					HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
					DispatcherServletAutoConfiguration.class, TaskQueueAutoConfiguration.class,
					TaskQueueWorkerAutoConfiguration.class, TaskQueueControlAutoConfiguration.class,
					TaskQueueEventsAutoConfiguration.class, TaskQueueDashboardAutoConfiguration.class))
			.withUserConfiguration(FlowerTasksConfiguration.class)
			.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.dashboard.read-only=false",
					"taskqueue.worker.hostname=" + WORKER, "taskqueue.worker.send-task-events=true",
					"taskqueue.events.heartbeat-interval=200ms");
	}

	Map<String, Object> ok(RequestBuilder request) throws Exception {
		MvcResult result = this.mvc.perform(request).andReturn();
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
		return json.readValue(result.getResponse().getContentAsString(), new TypeReference<>() {
		});
	}

	String error(RequestBuilder request, int status) throws Exception {
		MvcResult result = this.mvc.perform(request).andReturn();
		String body = result.getResponse().getContentAsString();
		assertThat(result.getResponse().getStatus()).as(body).isEqualTo(status);
		Map<String, Object> error = json.readValue(body, new TypeReference<>() {
		});
		assertThat(error).containsOnlyKeys("error");
		return (String) error.get("error");
	}

	// flower.add(20, 22) sent to a queue through the API: its result, its events naming the
	// worker that ran it, the worker's stats and the queue's length, as the API shows them
	void sendAndFollow(String queue, String worker) throws Exception {
		Map<String, Object> sent = ok(post("/taskqueue/api/task/async-apply/flower.add")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"args\": [20, 22], \"queue\": \"" + queue + "\"}"));
		// the state when the API answered, as Flower's: the worker may have run the task already
		assertThat(sent.get("state")).isIn("PENDING", "STARTED", "SUCCESS");
		String id = (String) sent.get("task-id");
		assertThat(ok(get("/taskqueue/api/task/result/" + id).param("timeout", "10")))
			.isEqualTo(Map.of("task-id", id, "state", "SUCCESS", "result", 42));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ok(get("/taskqueue/api/task/info/" + id)))
			.containsEntry("state", "SUCCESS")
			.containsEntry("result", "42")
			.containsEntry("worker", worker));
		Map<String, Object> workers = ok(get("/taskqueue/api/workers").param("refresh", "true")
			.param("workername", worker));
		assertThat(map(map(workers.get(worker)).get("stats"))).containsKey("pool");
		assertThat(list(ok(get("/taskqueue/api/queues/length")).get("active_queues")))
			.contains(Map.of("name", queue, "messages", 0));
	}

	// a test's Redis keys, all holding its prefix
	static void deleteKeys(String url, String prefix) {
		RedisClient client = RedisClient.create(RedisURI.create(url));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<String> keys = connection.sync().keys("*" + prefix + "*");
			if (!keys.isEmpty()) {
				connection.sync().del(keys.toArray(String[]::new));
			}
		}
		finally {
			client.shutdown();
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (List<Object>) value;
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
