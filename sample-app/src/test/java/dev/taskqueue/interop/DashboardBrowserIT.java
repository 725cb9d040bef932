package dev.taskqueue.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium, end to end: the sample app serves it and runs a Java
 * worker, a Python Celery worker runs beside it, and the test uses the pages as a person would
 * (workers of both languages, a task sent through the form whose progress bar moves, a failure's
 * traceback, a revoke, a task the Python worker runs), saving a screenshot of every page in
 * {@code target/dashboard-screenshots}; those tests are skipped without Debian's chromium and
 * chromium-driver. Last, Flower's REST API of the same sample, with a plain HTTP client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Map<String, Sent> SENT = new LinkedHashMap<>();

	private static DashboardFleet fleet;

	private static HeadlessChromium browser;

	private static DashboardUi ui;

	@RegisterExtension
	static final AfterTestExecutionCallback ON_FAILURE = (context) -> {
		if (context.getExecutionException().isPresent() && context.getTags().contains("browser") && browser != null) {
			System.err.println("Chromium's console while " + context.getDisplayName() + " failed at " + browser.url());
			browser.consoleLog().forEach(System.err::println);
			browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
		}
	};

	@BeforeAll
	static void start() throws Exception {
		fleet = new DashboardFleet().start();
		if (HeadlessChromium.installed()) {
			browser = new HeadlessChromium();
			ui = new DashboardUi(browser, fleet.baseUrl());
		}
	}

	@BeforeEach
	void browserInstalled(TestInfo test) {
		if (test.getTags().contains("browser")) {
			Assumptions.assumeTrue(browser != null, HeadlessChromium.MISSING);
		}
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (browser != null) {
				browser.close();
			}
		}
		finally {
			if (fleet != null) {
				fleet.close();
			}
		}
	}

	@Test
	@Tag("browser")
	@Order(1)
	void workersOfBothLanguagesAreOnline() throws Exception {
		ui.open("#/workers");
		browser.await(DashboardUi.TIMEOUT, "body[data-read-only=false]",
				(driver) -> browser.find("body[data-read-only=\"false\"]") != null);
		for (String route : List.of("#/workers", "#/tasks", "#/queues", "#/charts", "#/send")) {
			assertThat(browser.find("a[href=\"" + route + "\"]")).as("nav link %s", route).isNotNull();
		}
		awaitWorker(fleet.javaNode, "Java");
		awaitWorker(fleet.pythonNode, "Python");
		browser.screenshot("workers");
		for (String node : List.of(fleet.javaNode, fleet.pythonNode)) {
			String row = "table#workers tbody tr[data-worker=\"" + node + "\"] ";
			assertThat(browser.text(row + "td.hostname")).isEqualTo(node);
			assertThat(browser.text(row + "td.software")).isNotEmpty();
			for (String cell : List.of("active", "processed", "load", "heartbeat", "queues")) {
				assertThat(browser.find(row + "td." + cell)).as("%s of %s", cell, node).isNotNull();
			}
		}
	}

	@Test
	@Tag("browser")
	@Order(2)
	void aJavaTaskSentThroughTheFormShowsItsProgressUntilSuccess() throws Exception {
		String id = ui.send("tasks.progress", "[10]", fleet.javaQueue, null, "send");
		SENT.put(id, new Sent("tasks.progress", "SUCCESS"));
		Set<String> values = new LinkedHashSet<>();
		Set<String> states = new LinkedHashSet<>();
		browser.await(DashboardUi.TIMEOUT, "progress#task-progress showing two values", (driver) -> {
			states.add(browser.text("#task-state"));
			WebElement bar = browser.find("progress#task-progress");
			if (bar != null && bar.getDomAttribute("value") != null) {
				values.add(bar.getDomAttribute("value") + "/" + bar.getDomAttribute("max"));
			}
			return values.size() >= 2;
		});
		browser.screenshot("task-progress");
		assertThat(values).allSatisfy((value) -> assertThat(value).matches("\\d+(\\.\\d+)?/10"));
		assertThat(states).contains("PROGRESS");
		ui.awaitState("SUCCESS");
		assertThat(browser.text("#task-result")).isEqualTo("10");
		browser.screenshot("task-success");
	}

	@Test
	@Tag("browser")
	@Order(3)
	void aFailureShowsItsTraceback() throws Exception {
		String id = ui.send("tasks.fail", "[\"boom\"]", fleet.javaQueue, null, null);
		SENT.put(id, new Sent("tasks.fail", "FAILURE"));
		browser.await(DashboardUi.TIMEOUT, "pre#task-traceback with boom", (driver) -> {
			String traceback = browser.text("pre#task-traceback");
			return traceback != null && traceback.contains("boom");
		});
		ui.awaitState("FAILURE");
		browser.screenshot("task-failure");
	}

	@Test
	@Tag("browser")
	@Order(4)
	void aTaskWaitingForItsCountdownIsRevoked() throws Exception {
		String id = ui.send("tasks.add", "[1, 2]", fleet.javaQueue, 60, null);
		// the list shows the events' state: RECEIVED until the worker meets the task at its ETA
		// and sends task-revoked, as in Flower
		SENT.put(id, new Sent("tasks.add", null));
		assertThat(browser.find("button#terminate")).isNotNull();
		ui.click("button#revoke");
		ui.awaitState("REVOKED");
		browser.screenshot("task-revoked");
	}

	@Test
	@Tag("browser")
	@Order(5)
	void thePythonWorkerRunsATaskSentToItsQueue() throws Exception {
		String id = ui.send("tasks.add", "[1, 2]", fleet.pythonQueue, null, null);
		SENT.put(id, new Sent("tasks.add", "SUCCESS"));
		ui.awaitState("SUCCESS");
		browser.await(DashboardUi.TIMEOUT, "#task-result 3", (driver) -> "3".equals(browser.text("#task-result")));
		browser.screenshot("task-python");
	}

	@Test
	@Tag("browser")
	@Order(6)
	void theTasksPageListsTheTasksSent() throws Exception {
		ui.follow("#/tasks");
		assertThat(browser.find("form#task-filter")).isNotNull();
		for (Map.Entry<String, Sent> task : SENT.entrySet()) {
			String row = "table#tasks tbody tr[data-task-id=\"" + task.getKey() + "\"] ";
			browser.await(DashboardUi.TIMEOUT, "the row of " + task,
					(driver) -> task.getValue().name().equals(browser.text(row + "td.name"))
							&& (task.getValue().state() == null
									|| task.getValue().state().equals(browser.text(row + "td.state"))));
			for (String cell : List.of("state", "worker", "received", "runtime")) {
				assertThat(browser.find(row + "td." + cell)).as("%s of %s", cell, task).isNotNull();
			}
		}
		browser.screenshot("tasks");
	}

	@Test
	@Tag("browser")
	@Order(7)
	void theQueuesPageListsBothQueues() throws Exception {
		ui.follow("#/queues");
		for (String queue : List.of(fleet.javaQueue, fleet.pythonQueue)) {
			String row = "table#queues tbody tr[data-queue=\"" + queue + "\"] ";
			browser.await(DashboardUi.TIMEOUT, "the row of queue " + queue, (driver) -> browser.find(row) != null);
			for (String cell : List.of("td.length", "td.consumers", "td.dead-letters", "button.pause",
					"button.resume")) {
				assertThat(browser.find(row + cell)).as("%s of %s", cell, queue).isNotNull();
			}
		}
		browser.screenshot("queues");
	}

	@Test
	@Tag("browser")
	@Order(8)
	void theChartsPageDrawsThroughputAndRuntime() throws Exception {
		ui.follow("#/charts");
		browser.await(DashboardUi.TIMEOUT, "svg#throughput-chart and svg#runtime-chart",
				(driver) -> browser.find("svg#throughput-chart") != null && browser.find("svg#runtime-chart") != null);
		browser.screenshot("charts");
	}

	@Test
	@Order(9)
	void flowersApiSendsATaskAndReadsItsResult() throws Exception {
		JsonNode sent = api("POST", "/task/async-apply/tasks.add", "{\"args\":[1,2]}");
		String id = sent.get("task-id").asString();
		assertThat(id).isNotBlank();
		JsonNode result = await().atMost(DashboardUi.TIMEOUT)
			.until(() -> api("GET", "/task/result/" + id, null), (json) -> "SUCCESS".equals(json.path("state").asString()));
		assertThat(result.get("task-id").asString()).isEqualTo(id);
		assertThat(result.get("result").asInt()).isEqualTo(3);
	}

	@Test
	@Order(10)
	void flowersApiListsBothWorkers() {
		await().atMost(DashboardUi.TIMEOUT).untilAsserted(() -> {
			JsonNode workers = api("GET", "/workers", null);
			assertThat(workers.propertyNames()).contains(fleet.javaNode, fleet.pythonNode);
		});
	}

	// calls the REST API, expecting 200 and JSON
	private static JsonNode api(String method, String path, @Nullable String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fleet.baseUrl() + "/taskqueue/api" + path))
			.timeout(DashboardUi.TIMEOUT)
			.header("Accept", "application/json");
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method, (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody());
		HttpResponse<String> response = HTTP.send(request.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
		return MAPPER.readTree(response.body());
	}

	// waits for the row of a worker, online, of the given language
	private static void awaitWorker(String node, String language) {
		String row = "table#workers tbody tr[data-worker=\"" + node + "\"] ";
		browser.await(DashboardUi.TIMEOUT, language + " worker " + node + " online",
				(driver) -> language.equals(browser.text(row + "td.language"))
						&& "online".equals(browser.text(row + "td.status")));
	}

	/**
	 * A task sent through the form, and the state it ends in.
	 *
	 * @param name the task's name
	 * @param state the state the list ends showing, {@code null} when not checked
	 */
	private record Sent(String name, @Nullable String state) {

	}

}
