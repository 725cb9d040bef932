package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.rpc.StreamRevokedTaskStore;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RevokeTests} on RabbitMQ with the {@code rpc://} backend (queue and exchange
 * {@code revoke-<id>}, the revoke stream {@code revoke-<id>-revoked}, all deleted afterwards),
 * and what a Python client reads of a task revoked here.
 */
class AmqpRevokeTests extends RevokeTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final String SEND_SCRIPT = """
			import json, sys
			from celery import Celery
			app = Celery('interop', broker=sys.argv[1], backend='rpc://')
			r = app.send_task('revoke.add', args=(2, 3), task_id=sys.argv[3], queue=sys.argv[2], countdown=1)
			r.get(timeout=30, propagate=False)
			print(json.dumps({'state': r.state, 'type': type(r.result).__name__, 'message': str(r.result)}))
			""";

	@Override
	protected ApplicationContextRunner transports() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
			.withUserConfiguration(StoreConfiguration.class)
			.withPropertyValues("taskqueue.broker.url=" + RabbitServer.URL, "taskqueue.backend.url=rpc://");
	}

	@AfterEach
	void deleteQueues() throws Exception {
		CachingConnectionFactory factory = RabbitServer.connectionFactory("revoke-test-cleanup");
		try (Channel channel = factory.createConnection().createChannel(false)) {
			channel.queueDelete(this.name);
			channel.exchangeDelete(this.name);
			channel.queueDelete(this.name + "-revoked");
		}
		finally {
			factory.destroy();
		}
	}

	/** The rpc:// result went to the first application's reply queue, gone with it: nothing to read. */
	@Override
	protected void assertRevokedAfterRestart(AssertableApplicationContext context, String id) {
	}

	@Test
	void pythonClientReadsRevokedForItsTaskRevokedHereBeforeItWasSent() {
		Assumptions.assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(60), PYTHON, "-c", "import celery, amqp"),
				"python3 with celery and amqp is not installed");
		application().run((context) -> {
			String id = UUID.randomUUID().toString();

			context.getBean(TaskOperations.class).revoke(id, false);

			TestProcesses.Result python = TestProcesses.run(Duration.ofSeconds(60), PYTHON, "-c", SEND_SCRIPT,
					RabbitServer.URL, this.name, id);
			assertThat(python.exit()).as(python.stderr()).isZero();
			@SuppressWarnings("unchecked")
			Map<String, Object> out = CeleryJson.newMapper().readValue(python.stdout(), Map.class);
			assertThat(out).containsEntry("state", "REVOKED")
				.containsEntry("type", "TaskRevokedError")
				.containsEntry("message", "revoked");
			await().atMost(WAIT).until(() -> revokedCount(context, "revoke.add") == 1);
			assertThat(context.getBean(RevokeTasks.class).executions).hasValue(0);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class StoreConfiguration {

		@Bean
		StreamRevokedTaskStore revokedTaskStore(AmqpConnection connection, TaskQueueProperties properties,
				@Value("${revoke.test.store}") String stream) {
			return new StreamRevokedTaskStore(connection.connectionFactory(), stream,
					properties.getWorker().getRevokedTtl(), connection.url());
		}

	}

}
