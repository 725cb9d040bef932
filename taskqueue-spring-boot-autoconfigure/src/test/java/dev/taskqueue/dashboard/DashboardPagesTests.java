package dev.taskqueue.dashboard;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueControlAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueDashboardAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEventsAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskContext;
import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.isA;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests for the dashboard's pages, data, live updates and actions, in a Spring MVC context
 * with the in-memory broker and a worker that sends task events.
 */
class DashboardPagesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueControlAutoConfiguration.class,
				TaskQueueEventsAutoConfiguration.class, TaskQueueDashboardAutoConfiguration.class))
		.withUserConfiguration(PagesTasksConfiguration.class)
		.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.worker.send-task-events=true",
				"taskqueue.worker.hostname=pages@test", "taskqueue.events.heartbeat-interval=200ms");

	@Test
	void theSinglePageAndItsFilesAreServed() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/taskqueue")).andExpect(status().isFound())
				.andExpect(header().string("Location", "/taskqueue/"));
			mvc.perform(get("/taskqueue/")).andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
				.andExpect(content().string(containsString("<body data-read-only=\"true\">")))
				.andExpect(content().string(containsString("href=\"#/workers\"")));
			mvc.perform(get("/taskqueue/app.js")).andExpect(status().isOk())
				.andExpect(content().string(containsString("hashchange")));
			mvc.perform(get("/taskqueue/style.css")).andExpect(status().isOk());
			mvc.perform(get("/taskqueue/data/settings")).andExpect(status().isOk())
				.andExpect(jsonPath("$.readOnly").value(true));
		});
	}

	@Test
	void thePagesFollowTheConfiguredPath() {
		this.contextRunner.withPropertyValues("taskqueue.dashboard.path=/ops/tasks/", "taskqueue.dashboard.api-path=/ops/api")
			.run((context) -> {
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
				mvc.perform(get("/ops/tasks")).andExpect(header().string("Location", "/ops/tasks/"));
				mvc.perform(get("/ops/tasks/")).andExpect(status().isOk())
					.andExpect(content().string(containsString("app.js")));
				mvc.perform(get("/ops/tasks/tasks.js")).andExpect(status().isOk());
				mvc.perform(get("/ops/tasks/data/workers")).andExpect(status().isOk());
				mvc.perform(get("/taskqueue/data/workers")).andExpect(status().isNotFound());
			});
	}

	@Test
	void theDataEndpointsShowTheWorkerTasksQueuesAndCharts() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			String id = context.getBean(TaskOperations.class).send("pages.add", 2, 3).id();
			await().atMost(TIMEOUT).untilAsserted(() -> mvc.perform(get("/taskqueue/data/tasks/" + id))
				.andExpect(jsonPath("$.state").value("SUCCESS"))
				.andExpect(jsonPath("$.runtime").isNumber()));
			mvc.perform(get("/taskqueue/data/tasks/" + id)).andExpect(status().isOk())
				.andExpect(jsonPath("$.name").value("pages.add"))
				.andExpect(jsonPath("$.result").value("5"))
				.andExpect(jsonPath("$.ready").value(true))
				.andExpect(jsonPath("$.worker").value("pages@test"))
				.andExpect(jsonPath("$.args").value("(2, 3)"));
			mvc.perform(get("/taskqueue/data/tasks").param("state", "SUCCESS").param("taskname", "pages.add")
				.param("received_start", "2000-01-01T00:00:00Z"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$[0].id").value(id))
				.andExpect(jsonPath("$[0].worker").value("pages@test"))
				.andExpect(jsonPath("$[0].received").isNumber());
			mvc.perform(get("/taskqueue/data/tasks").param("state", "FAILURE"))
				.andExpect(jsonPath("$.length()").value(0));
			mvc.perform(get("/taskqueue/data/tasks").param("received_end", "yesterday"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error").value(containsString("received_end")));
			await().atMost(TIMEOUT).untilAsserted(() -> mvc.perform(get("/taskqueue/data/workers"))
				.andExpect(jsonPath("$[0].hostname").value("pages@test"))
				.andExpect(jsonPath("$[0].language").value("Java"))
				.andExpect(jsonPath("$[0].status").value("online"))
				.andExpect(jsonPath("$[0].software").value(containsString("taskqueue")))
				.andExpect(jsonPath("$[0].processed").value(1))
				.andExpect(jsonPath("$[0].heartbeat").isNumber())
				.andExpect(jsonPath("$[0].queues").value(hasItem("celery"))));
			mvc.perform(get("/taskqueue/data/queues")).andExpect(status().isOk())
				.andExpect(jsonPath("$[0].name").value("celery"))
				.andExpect(jsonPath("$[0].length").value(0))
				.andExpect(jsonPath("$[0].consumers[0]").value("pages@test"))
				.andExpect(jsonPath("$[0].deadLetters").value(0));
			mvc.perform(get("/taskqueue/data/charts")).andExpect(status().isOk())
				.andExpect(jsonPath("$.minutes.length()").value(60))
				// one task succeeded, in the last minute or, across a minute's turn, the one before
				.andExpect(jsonPath("$.minutes[?(@.succeeded > 0)].succeeded").value(contains(1)))
				.andExpect(jsonPath("$.minutes[58:60][?(@.succeeded > 0)].p50").value(contains(isA(Number.class))));
			mvc.perform(get("/taskqueue/data/task-types")).andExpect(jsonPath("$").value(hasItem("pages.add")));
		});
	}

	@Test
	void theListsStreamDeliversATasksEvents() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			MvcResult stream = mvc.perform(get("/taskqueue/stream").accept(MediaType.TEXT_EVENT_STREAM))
				.andExpect(request().asyncStarted())
				.andReturn();
			String id = context.getBean(TaskOperations.class).send("pages.add", 1, 1).id();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stream.getResponse().getContentAsString())
				.contains("event:update")
				.contains("\"id\":\"" + id + "\"")
				.contains("\"state\":\"SUCCESS\"")
				.contains("\"hostname\":\"pages@test\""));
		});
	}

	@Test
	void aTasksStreamTellsItsProgressAndEndsWhenItIsReady() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			PagesTasks tasks = context.getBean(PagesTasks.class);
			String id = context.getBean(TaskOperations.class).send("pages.progress").id();
			await().atMost(TIMEOUT).untilAsserted(() -> mvc.perform(get("/taskqueue/data/tasks/" + id))
				.andExpect(jsonPath("$.state").value("PROGRESS"))
				.andExpect(jsonPath("$.progress.current").value(1.0))
				.andExpect(jsonPath("$.progress.total").value(2.0)));
			MvcResult stream = mvc.perform(get("/taskqueue/stream/tasks/" + id).accept(MediaType.TEXT_EVENT_STREAM))
				.andExpect(request().asyncStarted())
				.andReturn();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stream.getResponse().getContentAsString())
				.contains("event:task").contains("\"state\":\"PROGRESS\""));
			tasks.finish.countDown();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stream.getResponse().getContentAsString())
				.contains("\"state\":\"SUCCESS\"")
				.contains("\"result\":\"\\\"done\\\"\"")
				.contains("event:end"));
			await().atMost(TIMEOUT).until(() -> context.getBean(LiveUpdates.class).openStreams() == 0);
		});
	}

	@Test
	void aTasksStreamEndsOnItsEventsWhenNoResultIsStored() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			PagesTasks tasks = context.getBean(PagesTasks.class);
			String id = context.getBean(TaskOperations.class).send("pages.quiet").id();
			await().atMost(TIMEOUT).untilAsserted(() -> mvc.perform(get("/taskqueue/data/tasks/" + id))
				.andExpect(jsonPath("$.state").value("STARTED")));
			MvcResult stream = mvc.perform(get("/taskqueue/stream/tasks/" + id).accept(MediaType.TEXT_EVENT_STREAM))
				.andExpect(request().asyncStarted())
				.andReturn();
			tasks.quiet.countDown();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stream.getResponse().getContentAsString())
				.contains("\"state\":\"SUCCESS\"")
				.contains("event:end"));
			await().atMost(TIMEOUT).until(() -> context.getBean(LiveUpdates.class).openStreams() == 0);
		});
	}

	@Test
	void actionsAreRefusedInReadOnlyMode() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(post("/taskqueue/actions/tasks/some-id/revoke")).andExpect(status().isForbidden())
				.andExpect(jsonPath("$.error").value(containsString("Read only")));
			mvc.perform(post("/taskqueue/actions/send").contentType(MediaType.APPLICATION_JSON)
				.content("{\"task\": \"pages.add\", \"args\": [1, 2]}")).andExpect(status().isForbidden());
			mvc.perform(post("/taskqueue/actions/queues/celery/pause")).andExpect(status().isForbidden());
			mvc.perform(post("/taskqueue/actions/queues/celery/resume")).andExpect(status().isForbidden());
			mvc.perform(post("/taskqueue/actions/task-types/pages.add/rate-limit").param("rate_limit", "1/s"))
				.andExpect(status().isForbidden());
			mvc.perform(post("/taskqueue/actions/queues/celery/dead-letters/some-id/requeue"))
				.andExpect(status().isForbidden());
		});
	}

	@Test
	void actionsSendRevokeRateLimitAndPauseWhenAllowed() {
		this.contextRunner.withPropertyValues("taskqueue.dashboard.read-only=false").run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/taskqueue/data/settings")).andExpect(jsonPath("$.readOnly").value(false));
			String sent = mvc.perform(post("/taskqueue/actions/send").contentType(MediaType.APPLICATION_JSON)
				.content("{\"task\": \"pages.add\", \"args\": [4, 5], \"kwargs\": {}, \"options\": {\"queue\": \"celery\"}}"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.task_id").isString())
				.andReturn().getResponse().getContentAsString();
			String id = sent.replaceAll(".*\"task_id\":\"([^\"]+)\".*", "$1");
			assertThat(context.getBean(TaskOperations.class).result(id).get(TIMEOUT)).isEqualTo(9);
			mvc.perform(post("/taskqueue/actions/send").contentType(MediaType.APPLICATION_JSON)
				.content("{\"task\": \"pages.add\", \"args\": {\"x\": 1}}"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error").value("'args' must be a JSON array"));
			mvc.perform(post("/taskqueue/actions/send").contentType(MediaType.APPLICATION_JSON).content("[1"))
				.andExpect(status().isBadRequest());
			String later = context.getBean(TaskOperations.class)
				.task("pages.add").args(1, 1).countdown(Duration.ofMinutes(10)).send().id();
			mvc.perform(post("/taskqueue/actions/tasks/" + later + "/revoke")).andExpect(status().isOk());
			await().atMost(TIMEOUT).untilAsserted(() -> mvc.perform(get("/taskqueue/data/tasks/" + later))
				.andExpect(jsonPath("$.state").value("REVOKED"))
				.andExpect(jsonPath("$.ready").value(true)));
			mvc.perform(post("/taskqueue/actions/task-types/pages.add/rate-limit").param("rate_limit", "100/s"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.workers['pages@test']").value("ok"));
			mvc.perform(post("/taskqueue/actions/queues/celery/pause")).andExpect(status().isOk())
				.andExpect(jsonPath("$.workers['pages@test']").value("ok"));
			mvc.perform(post("/taskqueue/actions/queues/celery/resume")).andExpect(status().isOk())
				.andExpect(jsonPath("$.workers['pages@test']").value("ok"));
		});
	}

	@Test
	void deadLettersAreListedWithTheirReasonAndRequeued() {
		this.contextRunner.withPropertyValues("taskqueue.dashboard.read-only=false").run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			String id = context.getBean(TaskOperations.class).send("pages.nosuch", 1).id();
			await().atMost(TIMEOUT).untilAsserted(() -> mvc.perform(get("/taskqueue/data/queues"))
				.andExpect(jsonPath("$[0].name").value("celery"))
				.andExpect(jsonPath("$[0].deadLetters").value(1)));
			mvc.perform(get("/taskqueue/data/queues/celery/dead-letters")).andExpect(status().isOk())
				.andExpect(jsonPath("$[0].taskId").value(id))
				.andExpect(jsonPath("$[0].taskName").value("pages.nosuch"))
				.andExpect(jsonPath("$[0].reason").value(containsString("not registered")));
			mvc.perform(post("/taskqueue/actions/queues/celery/dead-letters/" + id + "/requeue"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.requeued").value(true));
			mvc.perform(post("/taskqueue/actions/queues/celery/dead-letters/no-such-id/requeue"))
				.andExpect(status().isNotFound());
		});
	}

	@Test
	void aTasksDetailNamesItsParentAndChildren() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			TaskOperations tasks = context.getBean(TaskOperations.class);
			String parent = tasks.send("pages.parent").id();
			String child = (String) tasks.result(parent).get(TIMEOUT);
			await().atMost(TIMEOUT).untilAsserted(() -> {
				mvc.perform(get("/taskqueue/data/tasks/" + parent))
					.andExpect(jsonPath("$.children").value(hasItem(child)));
				mvc.perform(get("/taskqueue/data/tasks/" + child))
					.andExpect(jsonPath("$.state").value("SUCCESS"))
					.andExpect(jsonPath("$.parentId").value(parent))
					.andExpect(jsonPath("$.rootId").value(parent));
			});
			mvc.perform(get("/taskqueue/data/tasks/never-sent")).andExpect(status().isOk())
				.andExpect(jsonPath("$.known").value(false))
				.andExpect(jsonPath("$.state").value("PENDING"));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class PagesTasksConfiguration {

		@Bean
		PagesTasks pagesTasks(ObjectProvider<TaskOperations> tasks) {
			return new PagesTasks(tasks);
		}

	}

	static class PagesTasks {

		final CountDownLatch finish = new CountDownLatch(1);

		final CountDownLatch quiet = new CountDownLatch(1);

		private final ObjectProvider<TaskOperations> tasks;

		PagesTasks(ObjectProvider<TaskOperations> tasks) {
			this.tasks = tasks;
		}

		@CeleryTask(name = "pages.quiet", ignoreResult = true)
		void quiet() throws InterruptedException {
			this.quiet.await(20, TimeUnit.SECONDS);
		}

		@CeleryTask(name = "pages.parent")
		String parent() {
			return this.tasks.getObject().send("pages.add", 20, 22).id();
		}

		@CeleryTask(name = "pages.add")
		int add(int x, int y) {
			return x + y;
		}

		@CeleryTask(name = "pages.progress")
		String progress(TaskContext context) throws InterruptedException {
			context.updateState("PROGRESS", Map.of("current", 1, "total", 2));
			this.finish.await(20, TimeUnit.SECONDS);
			return "done";
		}

	}

}
