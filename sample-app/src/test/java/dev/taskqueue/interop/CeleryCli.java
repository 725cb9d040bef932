package dev.taskqueue.interop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's own command line ({@code celery -A tasks inspect|control|status ...}) run against
 * the interop stack, the judge of what Java workers answer.
 */
final class CeleryCli {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private CeleryCli() {
	}

	/**
	 * Run a command and return what it printed.
	 * @param env the INTEROP_* settings
	 * @param args the arguments after {@code celery -A tasks}
	 * @return the output
	 */
	static Result run(Map<String, String> env, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-m", "celery", "-A", "tasks"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(PythonCelery.PYTHON_DIR.toFile())
			.redirectErrorStream(true);
		builder.environment().putAll(env);
		Process process = builder.start();
		byte[] out = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("celery " + String.join(" ", args) + " did not finish");
		}
		return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
	}

	/**
	 * Run an inspect or control command with {@code --json} for one node and return its reply.
	 * @param env the INTEROP_* settings
	 * @param node the node asked
	 * @param args the command and its arguments, such as {@code inspect stats}
	 * @return the node's reply
	 */
	static JsonNode ask(Map<String, String> env, String node, String... args) throws Exception {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of("-d", node, "-t", "5", "-j"));
		Result result = run(env, all.toArray(String[]::new));
		String out = result.output().trim();
		JsonNode replies = MAPPER.readTree(out.substring(out.lastIndexOf('\n') + 1));
		// inspect prints {node: reply}, control a list of them
		for (JsonNode reply : replies.isArray() ? replies.values() : List.of(replies)) {
			if (reply.has(node)) {
				return reply.get(node);
			}
		}
		throw new IllegalStateException("No reply from " + node + " to " + String.join(" ", args) + ": " + out);
	}

	/**
	 * What a command printed.
	 *
	 * @param exitCode its exit code
	 * @param output its output, stdout and stderr together
	 */
	record Result(int exitCode, String output) {
	}

}
