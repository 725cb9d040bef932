package dev.taskqueue.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Where the interop tests meet Python Celery: Redis databases, a queue per test class, and the
 * settings both sides get.
 */
final class Interop {

	static final String BROKER = "redis://127.0.0.1:6379/10";

	static final String BACKEND = "redis://127.0.0.1:6379/11";

	static final String RECORDS = "redis://127.0.0.1:6379/12";

	private static final RedisClient CLIENT = RedisClient.create();

	private static final Map<String, StatefulRedisConnection<String, String>> CONNECTIONS = new ConcurrentHashMap<>();

	private Interop() {
	}

	/** A queue name no other test uses. */
	static String uniqueQueue(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** The INTEROP_* environment of the Python side, on Redis. */
	static Map<String, String> pythonEnv(String queue, String... extra) {
		return Stack.REDIS.pythonEnv(queue, extra);
	}

	/** Spring properties of a Java sample app on the same Redis broker, backend and queue. */
	static String[] javaProperties(String queue, String... extra) {
		return Stack.REDIS.javaProperties(queue, extra);
	}

	/** Run commands against a database, on one connection per database kept for the test run. */
	static <T> T withRedis(String url, java.util.function.Function<RedisCommands<String, String>, T> action) {
		return action.apply(CONNECTIONS.computeIfAbsent(url, (key) -> CLIENT.connect(RedisURI.create(key))).sync());
	}

	/** Delivery tags of the messages of a queue that are delivered and not acknowledged. */
	static java.util.List<String> unackedTags(String queue) {
		String suffix = "\"" + queue + "\"]";
		return withRedis(BROKER, (redis) -> redis.hgetall("unacked")
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().endsWith(suffix))
			.map(Map.Entry::getKey)
			.toList());
	}

	/** Whether every given unacked message was delivered longer ago than the given age. */
	static boolean unackedOlderThan(java.util.List<String> tags, java.time.Duration age) {
		double limit = (System.currentTimeMillis() - age.toMillis()) / 1000.0;
		return withRedis(BROKER, (redis) -> tags.stream().allMatch((tag) -> {
			Double score = redis.zscore("unacked_index", tag);
			return score == null || score < limit;
		}));
	}

	static Path logFile(String name) throws IOException {
		Path dir = Path.of("target/interop-logs");
		Files.createDirectories(dir);
		return dir.resolve(name + ".log");
	}

}
