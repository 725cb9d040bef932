package dev.taskqueue.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.test.RecordingTaskOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LiveUpdates}: coalescing and the bound on streams, the flush left to the
 * test.
 */
class LiveUpdatesTests {

	private final ClusterState state = new ClusterState();

	private final TaskOperations tasks = new RecordingTaskOperations();

	private final LiveUpdates updates = new LiveUpdates(new TaskData(this.state, this.tasks),
			new FleetData(this.state, null, null, null, Clock.systemUTC()), this.tasks, 2, Duration.ofHours(1));

	@AfterEach
	void close() throws Exception {
		this.updates.close();
	}

	@Test
	void nothingIsNotedWhileNoStreamIsOpen() {
		this.updates.listenTo(this.state);
		this.state.accept(event("task-received", "t-1"));
		assertThat(this.updates.drain().isEmpty()).isTrue();
	}

	@Test
	void changesAreCoalescedToTheLatestStatePerTaskAndWorker() {
		this.updates.listenTo(this.state);
		this.updates.lists();
		this.state.accept(event("task-received", "t-1"));
		this.state.accept(event("task-started", "t-1"));
		this.state.accept(event("task-received", "t-2"));
		this.state.accept(event("task-succeeded", "t-1"));
		PendingChanges.Changes changes = this.updates.drain();
		assertThat(changes.tasks()).containsOnlyKeys("t-1", "t-2");
		assertThat(changes.tasks().get("t-1").state()).isEqualTo("SUCCESS");
		assertThat(changes.workers()).containsOnlyKeys("w@one");
		Map<String, Object> update = this.updates.update(changes);
		assertThat((List<?>) update.get("tasks")).hasSize(2);
		assertThat((List<?>) update.get("workers")).singleElement()
			.satisfies((worker) -> assertThat(((FleetData.WorkerRow) worker).hostname()).isEqualTo("w@one"));
		assertThat(this.updates.drain().isEmpty()).isTrue();
	}

	@Test
	void streamsAreBoundedAndFreedWhenDone() {
		this.updates.lists();
		this.updates.lists();
		assertThatExceptionOfType(ResponseStatusException.class).isThrownBy(this.updates::lists)
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
		assertThat(this.updates.openStreams()).isEqualTo(2);
	}

	private static Map<String, Object> event(String type, String id) {
		return Map.of("type", type, "uuid", id, "hostname", "w@one", "name", "t.add", "timestamp",
				System.currentTimeMillis() / 1000.0, "runtime", 0.25, "result", "3");
	}

}
