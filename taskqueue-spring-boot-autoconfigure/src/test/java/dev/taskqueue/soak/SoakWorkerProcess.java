package dev.taskqueue.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One incarnation of a soak worker: a {@link SoakWorker} JVM on the test's class path, its
 * output in a log file of its own, killed with SIGKILL (no shutdown hook, no acknowledgement)
 * or stopped at the end.
 */
final class SoakWorkerProcess {

	private static final Duration START_WAIT = Duration.ofSeconds(90);

	private final String incarnation;

	private final Process process;

	private final Path log;

	private SoakWorkerProcess(String incarnation, Process process, Path log) {
		this.incarnation = incarnation;
		this.process = process;
		this.log = log;
	}

	/**
	 * Start a worker JVM, without waiting for it.
	 * @param incarnation its name, such as {@code w1.2}, written down with each execution
	 * @param ledger the key of the ledger
	 * @param dir where its log goes
	 * @param properties the Spring properties, {@code name=value}
	 * @return the starting worker
	 */
	static SoakWorkerProcess start(String incarnation, String ledger, Path dir, List<String> properties) {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
				"-Dsoak.ledger=" + ledger, "-Dsoak.incarnation=" + incarnation, "-cp", classPath(),
				SoakWorker.class.getName(), "--taskqueue.worker.hostname=" + incarnation + "@soak"));
		for (String property : properties) {
			command.add("--" + property);
		}
		Path log = dir.resolve(incarnation + ".log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			return new SoakWorkerProcess(incarnation, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Wait until the worker printed that it consumes.
	 * @return this worker
	 */
	SoakWorkerProcess awaitReady() {
		await().atMost(START_WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
			String output = Files.readString(this.log);
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Soak worker " + this.incarnation + " died: " + output);
			}
			return output.contains(SoakWorker.READY);
		});
		return this;
	}

	/** The incarnation's name. */
	String incarnation() {
		return this.incarnation;
	}

	/** Kill the JVM with SIGKILL and wait until it is gone. */
	void kill() {
		this.process.destroyForcibly();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.process.isAlive());
	}

	/** Stop the JVM (SIGTERM: it gives back what it holds), killing it if it takes too long. */
	void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill();
		}
	}

	// Surefire puts the test class path in a property of its own when it starts the JVM
	// with a manifest-only jar.
	private static String classPath() {
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

}
