package dev.taskqueue.backend.rpc;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.GroupResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskSendException;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests that {@link RpcResultBackend} neither joins chords nor keeps groups, as Celery's rpc
 * backend, and that a client using it is refused both, told what to use instead.
 */
class RpcResultBackendCanvasTests {

	private CachingConnectionFactory connectionFactory;

	private RpcResultBackend backend;

	private TaskTemplate template;

	@BeforeEach
	void create() {
		this.connectionFactory = RabbitServer.connectionFactory("taskqueue-rpc-canvas-" + UUID.randomUUID());
		this.backend = new RpcResultBackend(this.connectionFactory, new JsonResultMetaCodec(), Duration.ofDays(1),
				"rpc://");
		this.template = new TaskTemplate(new InMemoryBroker(new JsonMessageCodec()), this.backend,
				DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
				DataSize.ofKilobytes(64));
	}

	@AfterEach
	void destroy() {
		this.backend.destroy();
		this.connectionFactory.destroy();
	}

	@Test
	void refusesChordsNamingTheRedisBackend() {
		assertThat(this.backend.canvasStore()).isNull();
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> this.template.chord(Signature.of("tasks.add", 1, 1)).body(Signature.of("tasks.xsum")))
			.withMessage("The result backend rpc:// cannot join chords (Celery's rpc:// backend cannot either); "
					+ "use a Redis result backend for chords");
	}

	@Test
	void refusesToSaveOrRestoreGroups() {
		GroupResult group = this.template.group(Signature.of("tasks.add", 1, 1));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(group::save)
			.withMessage("Cannot save group " + group.id() + ": rpc:// does not keep groups (Celery's rpc backend "
					+ "cannot either); use a Redis result backend such as redis://host:port/db");
		assertThatExceptionOfType(ResultBackendException.class)
			.isThrownBy(() -> this.template.groupResult(group.id()))
			.withMessageStartingWith("Cannot restore group " + group.id() + ": rpc:// does not keep groups");
	}

	@Test
	void forgetOfAGroupForgetsItsMembers() {
		GroupResult group = this.template.group(Signature.of("tasks.add", 1, 1));
		String member = group.results().get(0).id();
		this.backend.store(ResultMeta.of(member, CeleryStates.SUCCESS, 2), this.backend.replyTo());
		await().untilAsserted(() -> assertThat(this.backend.get(member).status()).isEqualTo(CeleryStates.SUCCESS));
		group.forget();
		assertThat(this.backend.get(member).status()).isEqualTo(CeleryStates.PENDING);
	}

}
