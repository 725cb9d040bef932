package dev.taskqueue.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

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

	/**
	 * Run a command to its end, or until the timeout, doing something every 200 ms while it
	 * runs (such as answering what a Python script asks of the Java side).
	 * @param timeout how long it may take
	 * @param command the command and its arguments
	 * @param meanwhile what to do while it runs
	 * @return its exit status (-1 when it did not finish or could not start) and output
	 */
	public static Result runWhile(Duration timeout, List<String> command, Runnable meanwhile) {
		try {
			Path err = Files.createTempFile("test-process", ".err");
			try {
				Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
				CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
					try {
						return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
				try {
					Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
						if (process.isAlive()) {
							meanwhile.run();
						}
						return !process.isAlive();
					});
				}
				catch (ConditionTimeoutException ex) {
					process.destroyForcibly();
					return new Result(-1, stdout.join(), "timed out");
				}
				return new Result(process.exitValue(), stdout.join(), Files.readString(err));
			}
			finally {
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			return new Result(-1, "", ex.toString());
		}
	}

	/**
	 * Run a Python script with {@code /usr/bin/python3} as {@link #runWhile}, and return the
	 * last line it printed, failing the test when it did not end well.
	 * @param script the script's text
	 * @param args the script's arguments
	 * @param meanwhile what to do while it runs
	 * @return the last line of its standard output
	 */
	public static String pythonWhile(String script, List<String> args, Runnable meanwhile) {
		try {
			Path file = Files.createTempFile("test-script", ".py");
			try {
				Files.writeString(file, script, StandardCharsets.UTF_8);
				List<String> command = new ArrayList<>(List.of("/usr/bin/python3", file.toString()));
				command.addAll(args);
				Result result = runWhile(Duration.ofSeconds(60), command, meanwhile);
				if (result.exit() != 0) {
					throw new AssertionError("Python script failed (" + result.exit() + "): " + result.stdout()
							+ result.stderr());
				}
				String[] lines = result.stdout().trim().split("\n");
				return lines[lines.length - 1];
			}
			finally {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
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
