package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.taskqueue.backend.ForwardingResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@link Error} thrown by the worker's own code on a pool thread (here: while storing a
 * result) still settles the message, dead-lettered with the error, and the worker goes on.
 */
class WorkerErrorTests {

	@Test
	void errorWhileStoringAResultDeadLettersTheMessageAndTheWorkerGoesOn() {
		WorkerFixture fixture = new WorkerFixture(1);
		WorkerSettings acksLate = new WorkerSettings("celery@test", List.of("celery"), 1, 2, Duration.ofSeconds(5),
				false);
		WorkerContainer worker = new WorkerContainer(fixture.broker, new FailingSuccessStore(fixture.backend),
				fixture.registry, fixture.state, acksLate, CeleryJson.newMapper(), null);
		worker.start();
		try {
			fixture.template.send("t.add", 1, 2);
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.broker.deadLetters("celery", 100).size() == 1);
			assertThat(fixture.broker.deadLetters("celery", 100).get(0).reason())
				.isEqualTo("Worker failed running the task: java.lang.StackOverflowError: storing SUCCESS");
			assertThat(fixture.broker.size("celery")).isZero();
			assertThat(fixture.state.activeTasks()).isEmpty();
			assertThat(fixture.state.lastFailure()).isNotNull();

			fixture.template.send("t.quiet");
			await().atMost(Duration.ofSeconds(5)).until(() -> fixture.tasks.executions.get() == 2);
		}
		finally {
			worker.stop();
		}
	}

	/** The in-memory backend, except that storing a SUCCESS throws a JVM error. */
	private static final class FailingSuccessStore extends ForwardingResultBackend {

		FailingSuccessStore(ResultBackend delegate) {
			super(delegate);
		}

		@Override
		public void store(ResultMeta meta, @Nullable String replyTo) {
			if (CeleryStates.SUCCESS.equals(meta.status())) {
				throw new StackOverflowError("storing SUCCESS");
			}
			super.store(meta, replyTo);
		}

	}

}
