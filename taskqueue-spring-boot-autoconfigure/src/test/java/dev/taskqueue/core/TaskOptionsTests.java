package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.taskqueue.test.RecordingTaskOperations;
import dev.taskqueue.test.SentTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TaskOptions}: layering, and applying them to requests and signatures.
 */
class TaskOptionsTests {

	private static final Instant ETA = Instant.parse("2030-01-02T03:04:05Z");

	@Test
	void theOtherOptionsWinWhereTheySetSomething() {
		TaskOptions declared = TaskOptions.none().queue("a").priority(3).countdown(Duration.ofSeconds(5));
		TaskOptions call = TaskOptions.none().priority(9).eta(ETA);
		TaskOptions layered = declared.overriddenBy(call);
		assertThat(layered.queue()).isEqualTo("a");
		assertThat(layered.priority()).isEqualTo(9);
		assertThat(layered.eta()).isEqualTo(ETA);
		assertThat(layered.countdown()).as("an eta replaces a countdown").isNull();
		assertThat(declared.overriddenBy(TaskOptions.none())).isEqualTo(declared);
	}

	@Test
	void anExpiryReplacesTheOtherKindOfExpiry() {
		TaskOptions layered = TaskOptions.none().expires(Duration.ofMinutes(1)).overriddenBy(
				TaskOptions.none().expires(ETA));
		assertThat(layered.expiresAt()).isEqualTo(ETA);
		assertThat(layered.expiresIn()).isNull();
	}

	@Test
	void invalidOptionsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskOptions.none().priority(256))
			.withMessage("priority must be between 0 and 255, got 256");
		assertThatIllegalArgumentException().isThrownBy(() -> TaskOptions.none().countdown(Duration.ofSeconds(-1)))
			.withMessageContaining("countdown must be between 0 and 36500 days");
		assertThatIllegalArgumentException().isThrownBy(() -> TaskOptions.none().timeout(Duration.ZERO))
			.withMessage("timeout must be positive, got PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TaskOptions(null, Duration.ZERO, ETA, null, null, null, null, null, null, null, null))
			.withMessage("Set a countdown or an eta, not both");
	}

	@Test
	void aRequestTakesTheOptionsSetAndKeepsItsOthers() {
		RecordingTaskOperations tasks = new RecordingTaskOperations();
		tasks.task("opts.run")
			.priority(4)
			.queue("first")
			.options(TaskOptions.none().queue("second").eta(ETA).expires(ETA.plusSeconds(60)).taskId("opts-1"))
			.send();
		SentTask sent = tasks.sentOnce("opts.run");
		assertThat(sent.id()).isEqualTo("opts-1");
		assertThat(sent.queue()).isEqualTo("second");
		assertThat(sent.priority()).isEqualTo(4);
		assertThat(sent.eta()).isEqualTo(ETA);
		assertThat(sent.expires()).isEqualTo(ETA.plusSeconds(60));
	}

	@Test
	void aSignatureTakesTheOptionsInCelerysNames() {
		Signature signature = Signature.of("opts.run", 1)
			.countdown(Duration.ofSeconds(9))
			.options(TaskOptions.none()
				.eta(ETA)
				.expires(ETA.plusSeconds(60))
				.priority(2)
				.timeLimit(Duration.ofMillis(1500))
				.softTimeLimit(Duration.ofSeconds(1))
				.ignoreResult(true)
				.taskId("sig-1")
				.timeout(Duration.ofSeconds(3)));
		assertThat(signature.options()).doesNotContainKeys("countdown", "timeout")
			.containsEntry("eta", "2030-01-02T03:04:05.000000+00:00")
			.containsEntry("expires", "2030-01-02T03:05:05.000000+00:00")
			.containsEntry("priority", 2)
			.containsEntry("time_limit", 1.5)
			.containsEntry("soft_time_limit", 1.0)
			.containsEntry("ignore_result", true)
			.containsEntry("task_id", "sig-1");
	}

}
