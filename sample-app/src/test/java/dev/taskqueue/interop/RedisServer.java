package dev.taskqueue.interop;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Stops and starts the machine's Redis the way the developers' guide says, for fault tests.
 * A test that stops Redis starts it again in a {@code finally} block.
 */
final class RedisServer {

	private RedisServer() {
	}

	static void stop() throws Exception {
		run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave");
		await().atMost(Duration.ofSeconds(30)).until(() -> !ping());
	}

	static void start() throws Exception {
		if (ping()) {
			return;
		}
		run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
				"--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log");
		await().atMost(Duration.ofSeconds(30)).until(RedisServer::ping);
	}

	static boolean ping() throws IOException, InterruptedException {
		Process process = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping").start();
		if (!process.waitFor(5, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return false;
		}
		return new String(process.getInputStream().readAllBytes()).trim().equals("PONG");
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getInputStream().readAllBytes();
		process.waitFor(30, TimeUnit.SECONDS);
	}

}
