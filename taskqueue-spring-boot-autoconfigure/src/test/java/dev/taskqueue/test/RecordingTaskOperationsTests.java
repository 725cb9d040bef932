package dev.taskqueue.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskSendException;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RecordingTaskOperations}.
 */
class RecordingTaskOperationsTests {

	private final RecordingTaskOperations tasks = new RecordingTaskOperations();

	@Test
	void recordsNameArgumentsAndOptionsAsAWorkerReadsThem() {
		Instant before = Instant.now();
		AsyncResult<Object> result = this.tasks.task("tasks.add")
			.args(2, new EagerTasks.Point(3, 4))
			.kwarg("note", null)
			.id("fixed-id")
			.queue("urgent")
			.countdown(Duration.ofMinutes(5))
			.expires(Duration.ofHours(1))
			.priority(7)
			.header("tenant", "acme")
			.send();
		SentTask sent = this.tasks.sentOnce("tasks.add");
		assertThat(sent.id()).isEqualTo("fixed-id").isEqualTo(result.id());
		assertThat(sent.name()).isEqualTo("tasks.add");
		assertThat(sent.args()).containsExactly(2, Map.of("x", 3, "y", 4));
		assertThat(sent.arg(1)).isEqualTo(Map.of("x", 3, "y", 4));
		assertThat(sent.kwargs()).containsOnlyKeys("note");
		assertThat(sent.kwarg("note")).isNull();
		assertThat(sent.queue()).isEqualTo("urgent");
		assertThat(sent.exchange()).isEmpty();
		assertThat(sent.routingKey()).isEqualTo("urgent");
		assertThat(sent.eta()).isBetween(before.plus(Duration.ofMinutes(5)).minusSeconds(1),
				Instant.now().plus(Duration.ofMinutes(5)));
		assertThat(sent.expires()).isBetween(before.plus(Duration.ofHours(1)).minusSeconds(1),
				Instant.now().plus(Duration.ofHours(1)));
		assertThat(sent.priority()).isEqualTo(7);
		assertThat(sent.headers()).containsEntry("tenant", "acme");
		assertThat(sent.parentId()).isNull();
		assertThat(result.state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void recordsInOrderAndFiltersByName() {
		this.tasks.send("tasks.a", 1);
		this.tasks.send("tasks.b");
		this.tasks.send("tasks.a", 2);
		assertThat(this.tasks.sent()).extracting(SentTask::name).containsExactly("tasks.a", "tasks.b", "tasks.a");
		assertThat(this.tasks.sent("tasks.a")).extracting(SentTask::args).containsExactly(List.of(1), List.of(2));
		assertThat(this.tasks.sent("tasks.c")).isEmpty();
		this.tasks.clear();
		assertThat(this.tasks.sent()).isEmpty();
	}

	@Test
	void sentOnceFailsNamingWhatWasSent() {
		this.tasks.send("tasks.a");
		this.tasks.send("tasks.a");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.tasks.sentOnce("tasks.a"))
			.withMessage("Expected task 'tasks.a' to be sent once but it was sent 2 times; sent: [tasks.a, tasks.a]");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.tasks.sentOnce("tasks.b"))
			.withMessageContaining("sent 0 times");
	}

	@Test
	void routesWithTheGivenRouter() {
		DefaultTaskRouter router = DefaultTaskRouter.withDefaultQueue("default");
		router.registerTaskQueue("reports.monthly", "reports");
		RecordingTaskOperations routed = new RecordingTaskOperations(router);
		routed.send("reports.monthly");
		routed.send("other");
		assertThat(routed.sent()).extracting(SentTask::queue).containsExactly("reports", "default");
	}

	@Test
	void argumentWithNoJsonFormIsNotRecorded() {
		assertThatExceptionOfType(TaskSendException.class).isThrownBy(() -> this.tasks.send("tasks.add", new Object()))
			.withMessageContaining("cannot be serialized");
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> this.tasks.task("tasks.add").header("user", new Object()).send())
			.withMessageContaining("cannot be serialized");
		assertThat(this.tasks.sent()).isEmpty();
	}

}
