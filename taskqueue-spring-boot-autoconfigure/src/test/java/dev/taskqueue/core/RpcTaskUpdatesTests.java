package dev.taskqueue.core;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.rpc.RpcResultBackend;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.testsupport.RabbitServer;

/**
 * {@link TaskUpdatesTests} on the rpc backend: the worker sends every state to the reply
 * queue of the client, each on connections of their own.
 */
class RpcTaskUpdatesTests extends TaskUpdatesTests {

	private static CachingConnectionFactory workerConnections;

	private static CachingConnectionFactory clientConnections;

	private static RpcResultBackend worker;

	private static RpcResultBackend client;

	@BeforeAll
	static void connect() {
		workerConnections = RabbitServer.connectionFactory("progress-rpc-worker");
		clientConnections = RabbitServer.connectionFactory("progress-rpc-client");
		worker = new RpcResultBackend(workerConnections, new JsonResultMetaCodec(), Duration.ofMinutes(10), "rpc://");
		client = new RpcResultBackend(clientConnections, new JsonResultMetaCodec(), Duration.ofMinutes(10), "rpc://");
	}

	@AfterAll
	static void disconnect() {
		client.destroy();
		worker.destroy();
		clientConnections.destroy();
		workerConnections.destroy();
	}

	@Override
	boolean keepsDateDone() {
		return false;
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
