package dev.taskqueue.sample;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.taskqueue.core.TaskState;
import dev.taskqueue.core.TaskTimeoutException;
import dev.taskqueue.sample.HttpJson.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A task client whose tasks nobody runs: the {@link PythonTaskClient}'s queue has no worker,
 * and its timeout, set by {@code sample.python-timeout}, ends each wait with a
 * {@link TaskTimeoutException}, which the REST API answers with 504.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.python-queue=nobody-consumes-this", "sample.python-timeout=300ms" })
class TaskClientTimeoutTests {

	@LocalServerPort
	private int port;

	@Autowired
	private PythonTaskClient python;

	private HttpJson http;

	@BeforeEach
	void http() {
		this.http = new HttpJson(this.port);
	}

	@Test
	void waitEndsWithTaskTimeoutException() {
		assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> this.python.add(1, 2))
			.satisfies((ex) -> {
				assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(ex.getLastState()).isEqualTo(TaskState.PENDING);
			});
	}

	@Test
	void timeoutAnswers504() {
		Response add = this.http.get("/api/clients/python/add?x=1&y=2");
		assertThat(add.status()).as(add.toString()).isEqualTo(504);
		assertThat(add.json().get("state").asString()).isEqualTo("PENDING");
		assertThat(add.json().get("error").asString()).contains(add.json().get("task_id").asString())
			.contains("PENDING");
		Response xsum = this.http.get("/api/clients/python/xsum?numbers=1.5,2.5");
		assertThat(xsum.status()).as(xsum.toString()).isEqualTo(504);
		assertThat(xsum.json().get("state").asString()).isEqualTo("PENDING");
	}

}
