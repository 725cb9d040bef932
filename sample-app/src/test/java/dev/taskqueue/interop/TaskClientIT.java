package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.client.TaskClientVerification;
import dev.taskqueue.client.TaskClientVerifier;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.sample.PythonTaskClient;
import dev.taskqueue.sample.SampleApplication;
import dev.taskqueue.sample.SampleTaskClient.Point;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample's {@link PythonTaskClient} calls the tasks of a real Python Celery worker, on
 * Redis, on RabbitMQ with the rpc:// backend and on RabbitMQ with the Redis backend: the
 * worker consumes a queue of its own, which the Java sample (its worker off) gets as
 * {@code sample.python-queue}. Typed, generic and keyword calls, Python's exceptions, the
 * REST API in front of the client, and the clients' verification against the Python worker.
 */
class TaskClientIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Nested
	class OnRedis extends PythonWorkerTests {

		OnRedis() {
			super(Stack.REDIS, "redis");
		}

	}

	@Nested
	class OnRabbitMq extends PythonWorkerTests {

		OnRabbitMq() {
			super(Stack.AMQP_RPC, "amqp-rpc");
		}

	}

	@Nested
	class OnRabbitMqWithRedisBackend extends PythonWorkerTests {

		OnRabbitMqWithRedisBackend() {
			super(Stack.AMQP_REDIS, "amqp-redis");
		}

	}

	/**
	 * The tests of one stack: a Python worker and the Java sample, started once for them.
	 */
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	abstract static class PythonWorkerTests {

		private final Stack stack;

		private final String queue;

		private Process pythonWorker;

		private ConfigurableApplicationContext java;

		private PythonTaskClient python;

		private RestClient http;

		PythonWorkerTests(Stack stack, String name) {
			this.stack = stack;
			this.queue = Interop.uniqueQueue("client-" + name);
		}

		@BeforeAll
		void start() throws Exception {
			this.pythonWorker = PythonCelery.startWorker(this.queue, this.stack.pythonEnv(this.queue), "-Q",
					this.queue, "-c", "2");
			this.java = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
					"--taskqueue.broker.url=" + this.stack.broker(), "--taskqueue.backend.url=" + this.stack.backend(),
					"--taskqueue.worker.enabled=false", "--sample.python-queue=" + this.queue,
					"--sample.python-timeout=" + TIMEOUT.toSeconds() + "s", "--taskqueue.client.verify=true",
					"--taskqueue.client.verify-timeout=3s");
			this.python = this.java.getBean(PythonTaskClient.class);
			String port = this.java.getEnvironment().getRequiredProperty("local.server.port");
			this.http = RestClient.builder()
				.baseUrl("http://127.0.0.1:" + port)
				.defaultStatusHandler((status) -> true, (request, response) -> {
				})
				.build();
		}

		@AfterAll
		void stop() throws Exception {
			if (this.java != null) {
				this.java.close();
			}
			if (this.pythonWorker != null) {
				PythonCelery.stop(this.pythonWorker);
			}
		}

		@Test
		void typedResult() {
			assertThat(this.python.add(2, 3)).isEqualTo(5L);
			assertThat(this.python.add(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(2L * Integer.MAX_VALUE);
			assertThat(this.python.xsum(List.of(1.5, 2.5))).succeedsWithin(TIMEOUT).isEqualTo(4.0);
		}

		@Test
		void genericResult() {
			List<Point> points = List.of(new Point(1, 2.5), new Point(-3, 0));
			assertThat(this.python.identity(points)).isEqualTo(points)
				.allSatisfy((point) -> assertThat(point).isInstanceOf(Point.class));
			AsyncResult<Integer> progress = this.python.progress(3);
			assertThat(progress.get(TIMEOUT)).isInstanceOf(Integer.class).isEqualTo(3);
		}

		@Test
		void keywordArguments() {
			assertThat(this.python.mul(6, 7)).isEqualTo(42L);
			// the keyword is Python's parameter name: any other would fail with TypeError
			assertThat(this.python.retries(1)).isEqualTo(1);
		}

		@Test
		void pythonExceptionComesBackAsTaskFailedException() {
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> this.python.fail("boom from java"))
				.satisfies((ex) -> {
					assertThat(ex.getExceptionType()).isEqualTo("ValueError");
					assertThat(ex.getExceptionModule()).isEqualTo("builtins");
					assertThat(ex.getExceptionMessage()).isEqualTo("boom from java");
					assertThat(ex.getRemoteTraceback()).contains("Traceback (most recent call last)")
						.contains("ValueError: boom from java");
				});
		}

		@Test
		void restApiAnswersWithPythonsResultOrItsFailure() {
			ResponseEntity<JsonNode> add = this.http.get().uri("/api/clients/python/add?x=2&y=3").retrieve()
				.toEntity(JsonNode.class);
			assertThat(add.getStatusCode().value()).isEqualTo(200);
			assertThat(add.getBody().get("result").asLong()).isEqualTo(5);
			ResponseEntity<JsonNode> fail = this.http.get().uri("/api/clients/python/fail?message=kaboom").retrieve()
				.toEntity(JsonNode.class);
			assertThat(fail.getStatusCode().value()).isEqualTo(502);
			assertThat(fail.getBody().get("exc_type").asString()).isEqualTo("ValueError");
			assertThat(fail.getBody().get("exc_module").asString()).isEqualTo("builtins");
			assertThat(fail.getBody().get("exc_message").asString()).isEqualTo("kaboom");
		}

		@Test
		void pythonWorkerRegistersEveryClientTask() {
			TaskClientVerification verification = this.java.getBean(TaskClientVerifier.class).verify();
			assertThat(verification.error()).isNull();
			assertThat(verification.workers()).anySatisfy((node) -> assertThat(node).startsWith(this.queue + "@"));
			assertThat(verification.missing()).isEmpty();
			assertThat(verification.verified()).isTrue();
		}

	}

}
