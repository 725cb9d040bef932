package dev.taskqueue.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Tests for Flower's task list, task info and task types, built from the events of the
 * application's worker on the in-memory broker.
 */
class FlowerTaskListTests {

	private final WebApplicationContextRunner contextRunner = FlowerClient.contextRunner();

	@Test
	void tasksAreListedWithFlowersFieldsFilteredSortedAndPaged() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			TaskOperations tasks = context.getBean(TaskOperations.class);
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				ids.add(tasks.send("flower.add", i, 1).id());
			}
			String failed = tasks.send("flower.fail").id();
			await().atMost(FlowerClient.TIMEOUT).untilAsserted(() -> assertThat(mvc.ok(get("/taskqueue/api/tasks?state=SUCCESS")))
				.containsOnlyKeys(ids));
			Map<String, Object> all = mvc.ok(get("/taskqueue/api/tasks"));
			await().atMost(FlowerClient.TIMEOUT).untilAsserted(() -> assertThat(FlowerClient.map(mvc.ok(get("/taskqueue/api/tasks"))
				.get(failed))).containsEntry("state", "FAILURE"));
			Map<String, Object> success = FlowerClient.map(all.get(ids.get(1)));
			assertThat(success).containsOnlyKeys(FlowerClient.TASK_FIELDS)
				.containsEntry("uuid", ids.get(1))
				.containsEntry("name", "flower.add")
				.containsEntry("state", "SUCCESS")
				.containsEntry("args", "(1, 1)")
				.containsEntry("kwargs", "{}")
				.containsEntry("result", "2")
				.containsEntry("worker", FlowerClient.WORKER);
			assertThat(success.get("received")).isInstanceOf(Double.class);
			assertThat((Double) success.get("succeeded")).isGreaterThanOrEqualTo((Double) success.get("received"));
			assertThat(success.get("runtime")).isInstanceOf(Double.class);
			Map<String, Object> failure = FlowerClient.map(mvc.ok(get("/taskqueue/api/tasks")).get(failed));
			assertThat((String) failure.get("exception")).contains("broken on purpose");
			assertThat(failure.get("traceback")).isNotNull();

			assertThat(mvc.ok(get("/taskqueue/api/tasks?taskname=flower.fail"))).containsOnlyKeys(failed);
			assertThat(mvc.ok(get("/taskqueue/api/tasks?state=FAILURE&taskname=All"))).containsOnlyKeys(failed);
			assertThat(mvc.ok(get("/taskqueue/api/tasks?workername=" + FlowerClient.WORKER))).hasSize(4);
			assertThat(mvc.ok(get("/taskqueue/api/tasks?workername=nobody@test"))).isEmpty();
			assertThat(mvc.ok(get("/taskqueue/api/tasks?limit=2"))).hasSize(2);
			assertThat(mvc.ok(get("/taskqueue/api/tasks?limit=2&offset=3"))).hasSize(1);
			assertThat(mvc.ok(get("/taskqueue/api/tasks?offset=-5"))).hasSize(4);
			assertThat(mvc.ok(get("/taskqueue/api/tasks?sort_by=name")).keySet()).last().isEqualTo(failed);
			assertThat(mvc.ok(get("/taskqueue/api/tasks?sort_by=-name")).keySet()).first().isEqualTo(failed);
			assertThat(mvc.ok(get("/taskqueue/api/tasks?sort_by=received&limit=1"))).containsOnlyKeys(ids.get(0));
			assertThat(mvc.ok(get("/taskqueue/api/tasks").param("received_start", "2000-01-01 00:00"))).hasSize(4);
			assertThat(mvc.ok(get("/taskqueue/api/tasks").param("received_end", "2000-01-01 00:00"))).isEmpty();

			assertThat(mvc.error(get("/taskqueue/api/tasks?sort_by=runtime"), 400)).contains("'sort_by'");
			assertThat(mvc.error(get("/taskqueue/api/tasks?limit=-1"), 400)).contains("'limit'");
			assertThat(mvc.error(get("/taskqueue/api/tasks?limit=many"), 400)).contains("many");
			assertThat(mvc.error(get("/taskqueue/api/tasks").param("received_start", "yesterday"), 400))
				.contains("received_start");
			assertThat(mvc.error(get("/taskqueue/api/tasks?search=add"), 400)).contains("'search' is not supported");
		});
	}

	@Test
	void taskInfoAndTypesAnswerAsFlower() {
		this.contextRunner.run((context) -> {
			FlowerClient mvc = new FlowerClient(context);
			String id = context.getBean(TaskOperations.class).send("flower.add", 2, 2).id();
			await().atMost(FlowerClient.TIMEOUT).untilAsserted(() -> assertThat(mvc.ok(get("/taskqueue/api/task/info/" + id)))
				.containsEntry("state", "SUCCESS"));
			assertThat(mvc.ok(get("/taskqueue/api/task/info/" + id))).containsOnlyKeys(FlowerClient.TASK_FIELDS)
				.containsEntry("uuid", id)
				.containsEntry("result", "4")
				.containsEntry("worker", FlowerClient.WORKER);
			assertThat(mvc.error(get("/taskqueue/api/task/info/unknown-id"), 404)).isEqualTo("Unknown task 'unknown-id'");
			assertThat(mvc.ok(get("/taskqueue/api/task/types"))).isEqualTo(Map.of("task-types", List.of("flower.add")));
		});
	}

}
