package dev.taskqueue.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * Runs the real Python Celery (Debian's python3-celery) next to the tests: workers of the
 * {@code tasks} module in {@code src/test/python}, and its client script.
 */
final class PythonCelery {

	static final Path PYTHON_DIR = Path.of("src/test/python").toAbsolutePath();

	private static final String PYTHON = "/usr/bin/python3";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private PythonCelery() {
	}

	/**
	 * Start a worker and wait until it is ready.
	 * @param name node name prefix
	 * @param env the INTEROP_* settings
	 * @param args more {@code celery worker} arguments
	 * @return the worker process
	 */
	static Process startWorker(String name, Map<String, String> env, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(PYTHON, "-m", "celery", "-A", "tasks", "worker", "-n",
				name + "@%h", "-l", "info", "-P", "threads", "--without-gossip", "--without-mingle",
				"--without-heartbeat"));
		command.addAll(List.of(args));
		return start(name, env, command);
	}

	/**
	 * Start a worker that the fleet sees, as Flower does: it sends its heartbeats and task
	 * events ({@code -E}); wait until it is ready.
	 * @param node the full node name, such as {@code py@host}
	 * @param env the INTEROP_* settings
	 * @param args more {@code celery worker} arguments
	 * @return the worker process
	 */
	static Process startVisibleWorker(String node, Map<String, String> env, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(PYTHON, "-m", "celery", "-A", "tasks", "worker", "-n", node,
				"-E", "-l", "info", "-P", "threads", "--without-gossip", "--without-mingle"));
		command.addAll(List.of(args));
		return start(node.substring(0, node.indexOf('@')), env, command);
	}

	// runs the command with its output in target/interop-logs/python-<name>.log, until "ready."
	private static Process start(String name, Map<String, String> env, List<String> command) throws IOException {
		Path log = Interop.logFile("python-" + name);
		ProcessBuilder builder = new ProcessBuilder(command).directory(PYTHON_DIR.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(env);
		Process process = builder.start();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("Python worker died: " + Files.readString(log));
			}
			return Files.readString(log).contains("ready.");
		});
		return process;
	}

	/**
	 * Run the client script and return the JSON it prints.
	 * @param env the INTEROP_* settings
	 * @param args the client arguments
	 * @return the parsed output
	 */
	static JsonNode client(Map<String, String> env, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(PYTHON, "client.py"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(PYTHON_DIR.toFile());
		builder.environment().putAll(env);
		Process process = builder.start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("client.py " + args[0] + " did not finish");
		}
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.exitValue() != 0 || out.isEmpty()) {
			throw new IllegalStateException("client.py failed (" + process.exitValue() + "): " + err + out);
		}
		return MAPPER.readTree(out.substring(out.lastIndexOf('\n') + 1));
	}

	/** Stop a process gracefully, then forcibly. */
	static void stop(Process process) throws InterruptedException {
		if (process.isAlive()) {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}
