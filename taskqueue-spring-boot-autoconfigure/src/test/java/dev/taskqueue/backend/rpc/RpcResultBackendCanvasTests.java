package dev.taskqueue.backend.rpc;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that {@link RpcResultBackend} refuses chords and saved groups as Celery's rpc backend
 * does, saying what to use instead.
 */
class RpcResultBackendCanvasTests {

	private CachingConnectionFactory connectionFactory;

	private RpcResultBackend backend;

	@BeforeEach
	void create() {
		this.connectionFactory = RabbitServer.connectionFactory("taskqueue-rpc-canvas-" + UUID.randomUUID());
		this.backend = new RpcResultBackend(this.connectionFactory, new JsonResultMetaCodec(), Duration.ofDays(1),
				"rpc://");
	}

	@AfterEach
	void destroy() {
		this.backend.destroy();
		this.connectionFactory.destroy();
	}

	@Test
	void refusesChordsNamingTheRedisBackend() {
		assertThat(this.backend.supportsChords()).isFalse();
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.backend.setChordSize("g", 2))
			.withMessageStartingWith("Chords need a result backend that every worker can read, such as redis://")
			.withMessageContaining("rpc:// backend (rpc://)");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.backend.addChordPart("g", 0, new ChordPart("t", CeleryStates.SUCCESS, 1)))
			.withMessageStartingWith("Chords need a result backend");
	}

	@Test
	void refusesToSaveOrRestoreGroups() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.backend.saveGroup("g", List.of(List.of("g", "p"), List.of())))
			.withMessageStartingWith("Cannot save a group with the rpc:// backend (rpc://)")
			.withMessageContaining("redis://host:port/db");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.backend.restoreGroup("g"))
			.withMessageStartingWith("Cannot restore a group with the rpc:// backend");
	}

}
