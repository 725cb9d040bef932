package dev.taskqueue.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The sample app's jar running in its own JVM, so that a test can kill it with SIGKILL.
 */
final class JavaWorkerProcess implements AutoCloseable {

	private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final Path log;

	private JavaWorkerProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Start the sample jar with the given properties and wait until it started.
	 * @param name the log file name
	 * @param properties Spring properties, {@code key=value}
	 * @return the running worker
	 */
	static JavaWorkerProcess start(String name, String... properties) throws IOException {
		Path jar = Files.list(Path.of("target"))
			.filter((file) -> file.getFileName().toString().matches("sample-app-.*\\.jar"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No sample-app jar in target/: run the package phase first"));
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-jar", jar.toString(), "--server.port=0", "--spring.main.banner-mode=off"));
		for (String property : properties) {
			command.add("--" + property);
		}
		Path log = Interop.logFile("java-" + name);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("Java worker died: " + Files.readString(log));
			}
			return Files.readString(log).contains("Started SampleApplication");
		});
		return new JavaWorkerProcess(process, log);
	}

	/** The HTTP port the app listens on, as it logged it. */
	int httpPort() throws IOException {
		Matcher port = HTTP_PORT.matcher(Files.readString(this.log));
		if (!port.find()) {
			throw new IllegalStateException("No HTTP port in " + this.log);
		}
		return Integer.parseInt(port.group(1));
	}

	/** Kill the JVM with SIGKILL: no shutdown hook, no acknowledgement, no cleanup. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		PythonCelery.stop(this.process);
	}

}
