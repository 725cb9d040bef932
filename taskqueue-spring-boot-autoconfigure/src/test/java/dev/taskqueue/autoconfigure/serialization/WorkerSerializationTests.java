package dev.taskqueue.autoconfigure.serialization;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.worker.WorkerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications, started by the auto-configuration against a real broker: one sends and
 * stores with msgpack ({@code taskqueue.task.serializer} and
 * {@code taskqueue.backend.result-serializer}) and works a queue of its own; the other keeps
 * the JSON defaults, accepts only JSON ({@code taskqueue.accept-content=json}) and works
 * another queue. Subclasses supply the broker and look at the wire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WorkerSerializationTests {

	static final Duration PROMPTLY = Duration.ofSeconds(10);

	/** The queue of the msgpack application's worker. */
	final String queue = "msgpack-" + UUID.randomUUID().toString().substring(0, 8);

	/** The queue of the JSON-only application's worker. */
	final String jsonQueue = this.queue + "-json";

	ConfigurableApplicationContext msgpackApp;

	ConfigurableApplicationContext jsonApp;

	TaskTemplate msgpack;

	TaskTemplate json;

	/** The properties that point both applications at the broker and backend. */
	abstract Map<String, Object> brokerProperties();

	/** Remove what the tests left in the broker and backend. */
	abstract void cleanUp();

	@BeforeAll
	void start() {
		this.msgpackApp = start(this.queue, Map.of("taskqueue.task.serializer", "msgpack",
				"taskqueue.backend.result-serializer", "msgpack", "taskqueue.worker.hostname", "celery@msgpack"));
		this.jsonApp = start(this.jsonQueue,
				Map.of("taskqueue.accept-content", "json", "taskqueue.worker.hostname", "celery@json"));
		this.msgpack = this.msgpackApp.getBean(TaskTemplate.class);
		this.json = this.jsonApp.getBean(TaskTemplate.class);
	}

	private ConfigurableApplicationContext start(String queue, Map<String, Object> settings) {
		Map<String, Object> properties = new LinkedHashMap<>(brokerProperties());
		properties.putAll(settings);
		properties.put("taskqueue.default-queue", queue);
		properties.put("taskqueue.worker.queues", queue);
		properties.put("taskqueue.worker.concurrency", 2);
		return new SpringApplicationBuilder(SerializationApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run();
	}

	@AfterAll
	void stop() {
		try {
			for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.msgpackApp,
					this.jsonApp }) {
				if (context != null) {
					context.close();
				}
			}
		}
		finally {
			cleanUp();
		}
	}

	@Test
	void msgpackTaskRunsAndItsMsgpackResultIsRead() {
		AsyncResult<Long> sum = this.msgpack.task("tasks.add").args(2, 3).send(Long.class);
		assertThat(sum.get(PROMPTLY)).isEqualTo(5L);
		Map<String, Object> value = Map.of("k", List.of("v", 1, 2.5, true), "n", Map.of());
		assertThat(this.msgpack.send("tasks.echo", value).get(PROMPTLY)).isEqualTo(value);
	}

	@Test
	void bytesTravelAsMsgpackBinary() {
		byte[] reversed = this.msgpack.task("tasks.reverse")
			.args(new byte[] { 1, 2, (byte) 0xff })
			.send(byte[].class)
			.get(PROMPTLY);
		assertThat(reversed).containsExactly(0xff, 2, 1);
	}

	@Test
	void clientThatWritesJsonReadsMsgpackResults() {
		Map<String, Object> value = Map.of("k", List.of("v", 1));
		AsyncResult<Object> echoed = this.json.task("tasks.echo").queue(this.queue).args(value).send();
		assertThat(echoed.get(PROMPTLY)).isEqualTo(value);
		assertThat(this.json.task("tasks.add").queue(this.queue).args(20, 22).send().get(PROMPTLY)).isEqualTo(42);
	}

	@Test
	void contentTypeNotAcceptedIsDeadLetteredAndTheWorkerKeepsRunning() {
		AsyncResult<Object> refused = this.msgpack.task("tasks.add").queue(this.jsonQueue).args(2, 3).send();
		BrokerAdmin admin = this.jsonApp.getBean(BrokerAdmin.class);
		await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			List<DeadLetter> letters = admin.deadLetters(this.jsonQueue, 100);
			assertThat(letters).anySatisfy((letter) -> {
				assertThat(letter.taskId()).isEqualTo(refused.id());
				assertThat(letter.reason()).isEqualTo("Invalid task message: Content type 'application/x-msgpack' "
						+ "is not accepted (accept_content is [json]): Refusing to deserialize untrusted content of "
						+ "type msgpack (application/x-msgpack)");
			});
		});
		assertThat(this.json.send("tasks.add", 2, 3).get(PROMPTLY)).isEqualTo(5);
		WorkerContainer worker = this.jsonApp.getBean(WorkerContainer.class);
		assertThat(worker.isRunning()).isTrue();
		assertThat(worker.problems()).isEmpty();
		assertThat(this.json.result(refused.id()).state()).isEqualTo(TaskState.PENDING);
	}

}
