package dev.taskqueue.control;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.taskqueue.events.WorkerEventControl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the commands about the node itself on a running worker: {@code shutdown}, refused
 * unless allowed, and the event switches.
 */
class NodeCommandsTests {

	@Test
	void shutdownIsRefusedByDefaultAndRunsWhereAllowed() throws InterruptedException {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			assertThat(fixture.call("shutdown")).isEqualTo(
					Map.of("error", "shutdown is disabled on this worker (taskqueue.control.allow-shutdown)"));
			assertThat(fixture.worker.isRunning()).isTrue();
		}
		try (ControlFixture fixture = new ControlFixture(1)) {
			CountDownLatch stopped = new CountDownLatch(1);
			fixture.commands.setShutdown(() -> {
				fixture.worker.stop();
				stopped.countDown();
			});
			fixture.start();

			assertThat(fixture.call("shutdown", Map.of("msg", "bye"))).isEqualTo(Map.of("ok", "Got shutdown from remote"));

			assertThat(stopped.await(ControlFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(fixture.worker.isRunning()).isFalse();
		}
	}

	@Test
	void eventCommandsNeedTheEventSwitch() {
		try (ControlFixture fixture = new ControlFixture(1).start()) {
			assertThatExceptionOfType(ControlCommandException.class)
				.isThrownBy(() -> fixture.call("enable_events"))
				.satisfies((ex) -> assertThat(ex.getPythonType()).isEqualTo("RuntimeError"));
		}
		try (ControlFixture fixture = new ControlFixture(1)) {
			RecordingEvents events = new RecordingEvents();
			fixture.commands.setEventControl(events);
			fixture.start();

			assertThat(fixture.call("enable_events")).isEqualTo(Map.of("ok", "task events enabled"));
			assertThat(fixture.call("enable_events")).isEqualTo(Map.of("ok", "task events already enabled"));
			assertThat(fixture.call("disable_events")).isEqualTo(Map.of("ok", "task events disabled"));
			assertThat(fixture.call("disable_events")).isEqualTo(Map.of("ok", "task events already disabled"));
			assertThat(fixture.call("heartbeat")).isNull();
			assertThat(events.heartbeats).isEqualTo(1);
		}
	}

	/** An event switch that records what it was told. */
	private static final class RecordingEvents implements WorkerEventControl {

		private boolean enabled;

		private int heartbeats;

		@Override
		public boolean enableTaskEvents() {
			boolean changed = !this.enabled;
			this.enabled = true;
			return changed;
		}

		@Override
		public boolean disableTaskEvents() {
			boolean changed = this.enabled;
			this.enabled = false;
			return changed;
		}

		@Override
		public void sendHeartbeat() {
			this.heartbeats++;
		}

	}

}
