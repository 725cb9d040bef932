package dev.taskqueue.autoconfigure.abuse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.HostileBodies;
import dev.taskqueue.actuate.TaskQueueHealthIndicator;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One worker, started by the auto-configuration against a real broker, gets hostile and
 * broken messages published straight to its queue with the broker's raw client. After each,
 * the bad message is in the dead-letter place (or has a FAILURE result), and the same worker
 * still runs {@code tasks.add(2, 3)} within seconds with its health UP. Subclasses supply the
 * broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WorkerAbuseTests {

	static final Duration PROMPTLY = Duration.ofSeconds(10);

	final String queue = "abuse-" + UUID.randomUUID().toString().substring(0, 8);

	ConfigurableApplicationContext context;

	TaskTemplate template;

	WorkerState state;

	/** The properties that point the worker at the broker. */
	abstract Map<String, Object> brokerProperties();

	/** Publish a message with the broker's raw client, bypassing the library. */
	abstract void publishRaw(Map<String, Object> headers, String contentType, String contentEncoding, byte[] body);

	/** Every dead-letter reason of the queue seen so far. */
	abstract List<String> deadLetterReasons();

	/** Remove what the tests left in the broker. */
	abstract void cleanUp();

	@BeforeAll
	void startWorker() {
		Map<String, Object> properties = new LinkedHashMap<>(brokerProperties());
		properties.put("taskqueue.default-queue", this.queue);
		properties.put("taskqueue.worker.concurrency", 2);
		properties.put("taskqueue.worker.prefetch-multiplier", 4);
		properties.put("taskqueue.worker.hostname", "celery@abuse");
		this.context = new SpringApplicationBuilder(AbuseApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run();
		this.template = this.context.getBean(TaskTemplate.class);
		this.state = this.context.getBean(WorkerState.class);
	}

	@AfterAll
	void stopWorker() {
		try {
			if (this.context != null) {
				this.context.close();
			}
		}
		finally {
			cleanUp();
		}
	}

	@AfterEach
	void workerStillWorks() {
		AsyncResult<Object> sum = this.template.send("tasks.add", 2, 3);
		assertThat(sum.get(PROMPTLY)).isEqualTo(5);
		WorkerContainer worker = this.context.getBean(WorkerContainer.class);
		assertThat(worker.isRunning()).isTrue();
		assertThat(worker.problems()).isEmpty();
		TaskQueueHealthIndicator health = new TaskQueueHealthIndicator(this.context.getBean(Broker.class),
				this.context.getBean(ResultBackend.class), worker);
		assertThat(health.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void msgpackContainerDeclaringTwoBillionElements() {
		publishRaw(headers("huge-array"), "application/x-msgpack", "binary", HostileBodies.msgpackHugeArray());
		assertDeadLettered("declares 2147483647 elements");
	}

	@Test
	void msgpackBinaryDeclaringTwoGigabytes() {
		publishRaw(headers("huge-binary"), "application/x-msgpack", "binary", HostileBodies.msgpackHugeBinary());
		assertDeadLettered("binary declares 2147483647");
	}

	@Test
	void msgpackNestedAMillionDeep() {
		publishRaw(headers("deep-msgpack"), "application/x-msgpack", "binary", HostileBodies.msgpackDeep(1_000_000));
		assertDeadLettered("deeper than 500 levels");
	}

	@Test
	void jsonNestedAHundredThousandDeep() {
		publishRaw(headers("deep-json"), "application/json", "utf-8", HostileBodies.jsonDeep(100_000));
		assertDeadLettered("deeper than 500 levels");
	}

	@Test
	void zlibBombOfAGigabyte() {
		publishCompressed("zlib-bomb", "application/x-gzip", HostileBodies.zlibBomb(1024L * 1024 * 1024));
		assertDeadLettered("Decompressed message body exceeds the limit of 67108864 bytes");
	}

	@Test
	void bzip2Bomb() {
		publishCompressed("bzip2-bomb", "application/x-bz2", HostileBodies.bzip2Bomb(128L * 1024 * 1024));
		assertDeadLettered("Decompressed message body exceeds");
	}

	@Test
	void invalidUtf8() {
		publishRaw(headers("bad-utf8"), "application/json", "utf-8", HostileBodies.jsonInvalidUtf8());
		assertDeadLettered("Invalid JSON body");
	}

	@Test
	void retriesThatIsNotANumber() {
		Map<String, Object> headers = headers("bad-retries");
		headers.put("retries", "abc");
		publishRaw(headers, "application/json", "utf-8", body());
		assertDeadLettered("retries");
	}

	@Test
	void etaThatIsNotATime() {
		Map<String, Object> headers = headers("bad-eta");
		headers.put("eta", 12345);
		publishRaw(headers, "application/json", "utf-8", body());
		assertDeadLettered("eta");
	}

	@Test
	void etaThreeCenturiesAhead() {
		Map<String, Object> headers = headers("far-eta");
		headers.put("eta", Instant.now().plus(300 * 365L, ChronoUnit.DAYS).toString());
		publishRaw(headers, "application/json", "utf-8", body());
		assertDeadLettered("more than 36500 days ahead");
	}

	@Test
	void pickle() {
		publishRaw(headers("pickle"), "application/x-python-serialize", "binary",
				new byte[] { (byte) 0x80, 0x04, (byte) 0x95, 0x00, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm' });
		assertDeadLettered("'application/x-python-serialize' is not accepted");
	}

	@Test
	void yaml() {
		publishRaw(headers("yaml"), "application/x-yaml", "utf-8",
				"!!python/object/apply:os.system ['true']".getBytes(StandardCharsets.UTF_8));
		assertDeadLettered("'application/x-yaml' is not accepted");
	}

	@Test
	void argumentOfSixtyFourMebibytes() {
		byte[] body = ("[[\"" + "x".repeat(64 * 1024 * 1024) + "\"], {}, {}]").getBytes(StandardCharsets.US_ASCII);
		publishRaw(headers("huge-argument"), "application/json", "utf-8", body);
		// on Redis the envelope (90 MB in base64) crosses the network several times before it is refused
		assertDeadLettered("exceeds the limit of 67108864 bytes (the worker's body size limit)",
				Duration.ofMinutes(3));
	}

	@Test
	void missingTaskName() {
		Map<String, Object> headers = headers("no-task");
		headers.remove("task");
		publishRaw(headers, "application/json", "utf-8", body());
		assertDeadLettered("Invalid task message");
	}

	@Test
	void floodOfAThousandUnknownTaskNames() {
		long rejectedBefore = this.state.rejectedCount();
		int namesBefore = this.state.processedCounts().size();
		for (int i = 0; i < 1000; i++) {
			Map<String, Object> headers = headers("unknown-" + i);
			headers.put("task", "invented.task" + i);
			publishRaw(headers, "application/json", "utf-8", body());
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> this.state.rejectedCount() - rejectedBefore >= 1000);
		assertDeadLettered("Task 'invented.task999' is not registered on this worker");
		assertThat(this.state.processedCounts()).hasSizeLessThanOrEqualTo(namesBefore + 1)
			.doesNotContainKey("invented.task0");
	}

	@Test
	void fortyCountdownsThenAnOrdinaryTask() {
		for (int i = 0; i < 40; i++) {
			this.template.task("tasks.add").args(i, i).countdown(Duration.ofHours(1)).send();
		}
		// 40 held tasks are far more than the prefetch window of 8: the ordinary one still runs
		assertThat(this.template.send("tasks.add", 20, 22).get(PROMPTLY)).isEqualTo(42);
		await().atMost(PROMPTLY).until(() -> this.state.reservedCount() >= 40);
	}

	private void assertDeadLettered(String reason) {
		assertDeadLettered(reason, Duration.ofSeconds(60));
	}

	private void assertDeadLettered(String reason, Duration atMost) {
		await().atMost(atMost)
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(deadLetterReasons()).anySatisfy(
					(letter) -> assertThat(letter).contains(reason)));
	}

	/**
	 * Publish a JSON body that the headers declare compressed.
	 * @param id the start of the task id
	 * @param compression the compression header
	 * @param body the compressed body
	 */
	void publishCompressed(String id, String compression, byte[] body) {
		Map<String, Object> headers = headers(id);
		headers.put("compression", compression);
		publishRaw(headers, "application/json", "utf-8", body);
	}

	Map<String, Object> headers(String id) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "tasks.add");
		headers.put("id", id + "-" + UUID.randomUUID());
		headers.put("root_id", headers.get("id"));
		headers.put("retries", 0);
		return headers;
	}

	static byte[] body() {
		return "[[2, 3], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]"
			.getBytes(StandardCharsets.UTF_8);
	}

}
