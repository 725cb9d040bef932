package dev.taskqueue.control;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.protocol.CeleryJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@code revoke}, {@code terminate}, {@code revoked} and {@code hello} against a
 * running worker on the in-memory transports, with Celery 5.2's reply texts.
 */
class RevokeCommandsTests {

	@Test
	void revokeFlagsTheIdsInTheStore() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			String first = UUID.randomUUID().toString();
			String second = UUID.randomUUID().toString();

			assertThat(fixture.call("revoke", Map.of("task_id", first, "terminate", false, "signal", "SIGTERM")))
				.isEqualTo(Map.of("ok", "tasks " + first + " flagged as revoked"));
			assertThat(fixture.call("revoke", Map.of("task_id", List.of(first, second))))
				.isEqualTo(Map.of("ok", "tasks " + first + ", " + second + " flagged as revoked"));

			assertThat(fixture.revokes.isRevoked(first)).isTrue();
			assertThat(fixture.revokes.isRevoked(second)).isTrue();
			assertThat(fixture.call("revoked")).asList().containsExactlyInAnyOrder(first, second);
			AsyncResult<Object> revoked = fixture.template.task("c.add").id(first).args(1, 2).send();
			await().atMost(ControlFixture.WAIT).until(() -> revoked.state().equals(TaskState.REVOKED));
			assertThat(fixture.tasks.executions).hasValue(0);
		}
	}

	@Test
	void terminateInterruptsTheTaskRunningHereAndNamesIt() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			AsyncResult<Object> sleeping = fixture.template.send("c.sleep", 60_000);
			await().atMost(ControlFixture.WAIT).until(() -> fixture.worker.control().requests().stream()
				.anyMatch((request) -> request.timeStart() != null));

			assertThat(fixture.call("revoke", Map.of("task_id", sleeping.id(), "terminate", true)))
				.isEqualTo(Map.of("ok", "terminate: " + sleeping.id()));

			await().atMost(ControlFixture.WAIT).until(() -> fixture.state.processedCounts().containsKey("c.sleep"));
			assertThat(fixture.state.processedCounts().get("c.sleep")).isEqualTo(Map.of("REVOKED", 1L));
			assertThat(fixture.tasks.executions).hasValue(0);
			assertThat(fixture.call("terminate", Map.of("task_id", List.of(UUID.randomUUID().toString()),
					"signal", "SIGKILL")))
				.isEqualTo(Map.of("ok", "terminate: tasks unknown"));
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void helloMergesTheRevokesOfAnotherNodeAndAnswersWithFloatsAndTheClock() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			String mine = UUID.randomUUID().toString();
			String theirs = UUID.randomUUID().toString();
			fixture.call("revoke", Map.of("task_id", mine));
			double now = Instant.now().getEpochSecond();

			Map<String, Object> reply = (Map<String, Object>) fixture.call("hello",
					Map.of("from_node", "celery@python", "revoked", Map.of(theirs, now)));

			assertThat(List.copyOf(reply.keySet())).containsExactly("revoked", "clock");
			Map<String, Object> revoked = (Map<String, Object>) reply.get("revoked");
			assertThat(revoked).containsOnlyKeys(mine, theirs);
			assertThat(revoked.values()).allSatisfy((value) -> assertThat(value).isInstanceOf(Double.class));
			assertThat((double) revoked.get(mine)).isCloseTo(now, org.assertj.core.data.Offset.offset(60.0));
			assertThat(reply.get("clock")).isEqualTo(1L);
			assertThat(fixture.revokes.isRevoked(theirs)).isTrue();
			String json = CeleryJson.newMapper().writeValueAsString(reply);
			// floats, as Python's LimitedSet.update requires
			assertThat(json).matches("\\{\"revoked\": ?\\{(\"[^\"]+\": ?[0-9]+(\\.[0-9]+(E[0-9]+)?|E[0-9]+)(, )?){2}}, ?\"clock\": ?1}");
			assertThat(fixture.call("hello", Map.of("from_node", "control@test"))).isNull();
		}
	}

	@Test
	void wrongArgumentsAreTypeAndValueErrors() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("revoke", Map.of("task_id", 5)))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("revoke", Map.of("task_id", List.of("a", 1))))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("revoke", Map.of("task_id", "a", "terminate", "yes")))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("hello", Map.of("from_node", "x@y", "revoked", Map.of("id", "soon"))))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("ValueError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("hello", Map.of("revoked", List.of())))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("query_task", Map.of("ids", Map.of())))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("active", Map.of("safe", "true")))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("TypeError"));
			assertThat(fixture.revokes.revoked()).isEmpty();
		}
	}

}
