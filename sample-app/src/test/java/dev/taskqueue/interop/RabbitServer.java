package dev.taskqueue.interop;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Restarts the machine's RabbitMQ application and reads queue state with {@code rabbitmqctl},
 * for fault tests. A test that stops RabbitMQ starts it again in a {@code finally} block.
 */
final class RabbitServer {

	private RabbitServer() {
	}

	static void stop() throws Exception {
		run("rabbitmqctl", "stop_app");
	}

	static void start() throws Exception {
		run("rabbitmqctl", "start_app");
		run("rabbitmqctl", "await_startup");
	}

	/** The number of delivered, unacknowledged messages of a queue. */
	static int unacknowledged(String queue) throws Exception {
		for (String line : run("rabbitmqctl", "-q", "list_queues", "name", "messages_unacknowledged").split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length == 2 && fields[0].equals(queue)) {
				return Integer.parseInt(fields[1]);
			}
		}
		return 0;
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
		}
		return out;
	}

}
