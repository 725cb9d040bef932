package dev.taskqueue.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands for tests (python3 with Celery, rabbitmqctl, ...) and captures what
 * they print.
 */
public final class TestProcesses {

	private TestProcesses() {
	}

	/**
	 * Run a command to its end, or until the timeout.
	 * @param timeout how long it may take
	 * @param command the command and its arguments
	 * @return its exit status (-1 when it did not finish or could not start) and output
	 */
	public static Result run(Duration timeout, List<String> command) {
		try {
			Path err = Files.createTempFile("test-process", ".err");
			try {
				Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
				String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly();
					return new Result(-1, stdout, "timed out");
				}
				return new Result(process.exitValue(), stdout, Files.readString(err));
			}
			finally {
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			return new Result(-1, "", ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, "", ex.toString());
		}
	}

	/** Run a command to its end, or until the timeout. */
	public static Result run(Duration timeout, String... command) {
		return run(timeout, List.of(command));
	}

	/** Whether a command runs and exits with status 0 in time, such as a python3 import check. */
	public static boolean succeeds(Duration timeout, String... command) {
		return run(timeout, command).exit() == 0;
	}

	/**
	 * Let time pass, for a test that checks that nothing happens meanwhile (to wait for
	 * something to happen, use Awaitility).
	 * @param millis how long
	 */
	public static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What a command did.
	 *
	 * @param exit the exit status, -1 when it did not finish or could not start
	 * @param stdout what it printed on standard output
	 * @param stderr what it printed on standard error
	 */
	public record Result(int exit, String stdout, String stderr) {

		/** Both outputs, for assertion messages. */
		public String output() {
			return this.stdout + this.stderr;
		}

	}

}
