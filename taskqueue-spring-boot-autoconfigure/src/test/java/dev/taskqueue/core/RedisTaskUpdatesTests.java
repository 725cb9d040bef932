package dev.taskqueue.core;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.redis.RedisResultBackend;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.testsupport.RedisServer;

/**
 * {@link TaskUpdatesTests} on the Redis backend (database 8), the worker and the client each
 * on connections of their own. The keys of the tests' task ids ({@code progress-*}) are
 * deleted after the last test.
 */
class RedisTaskUpdatesTests extends TaskUpdatesTests {

	private static final int DATABASE = 8;

	private static LettuceConnectionFactory workerConnections;

	private static LettuceConnectionFactory clientConnections;

	private static RedisResultBackend worker;

	private static RedisResultBackend client;

	@BeforeAll
	static void connect() {
		workerConnections = RedisServer.connectionFactory(DATABASE, "progress-worker", null);
		clientConnections = RedisServer.connectionFactory(DATABASE, "progress-client", null);
		worker = backend(workerConnections);
		client = backend(clientConnections);
	}

	private static RedisResultBackend backend(LettuceConnectionFactory connections) {
		return new RedisResultBackend(connections, new JsonResultMetaCodec(), Duration.ofMinutes(10),
				RedisServer.url(DATABASE));
	}

	@AfterAll
	static void disconnect() {
		try (RedisConnection connection = clientConnections.getConnection()) {
			ScanOptions keys = ScanOptions.scanOptions().match("celery-task-meta-progress-*").count(1000).build();
			try (Cursor<byte[]> cursor = connection.keyCommands().scan(keys)) {
				cursor.forEachRemaining((key) -> connection.keyCommands().del(key));
			}
		}
		client.destroy();
		worker.destroy();
		clientConnections.destroy();
		workerConnections.destroy();
	}

	@Override
	ResultBackend workerBackend() {
		return worker;
	}

	@Override
	ResultBackend clientBackend() {
		return client;
	}

}
