package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.taskqueue.backend.redis.RedisRevokedTaskStore;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskState;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.testsupport.RedisServer;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RevokeTests} on Redis (database 8, broker keys under the prefix {@code revoke-<id>:},
 * the revoked set {@code revoke-<id>-revoked}), and what a Python client reads of a task
 * revoked here.
 */
class RedisRevokeTests extends RevokeTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final String URL = RedisServer.url(8);

	private static final String STATE_SCRIPT = """
			import json, sys
			from celery import Celery
			app = Celery('interop', broker='memory://', backend=sys.argv[1])
			r = app.AsyncResult(sys.argv[2])
			print(json.dumps({'state': r.state, 'type': type(r.result).__name__, 'message': str(r.result)}))
			""";

	@Override
	protected ApplicationContextRunner transports() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
			.withUserConfiguration(StoreConfiguration.class)
			.withPropertyValues("taskqueue.broker.url=" + URL, "taskqueue.backend.url=" + URL,
					"taskqueue.broker.redis.global-keyprefix=" + this.name + ":",
					"taskqueue.backend.result-expires=10m");
	}

	@AfterEach
	void deleteKeys() {
		RedisClient client = RedisClient.create(RedisURI.create(URL));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<String> keys = connection.sync().keys(this.name + "*");
			if (!keys.isEmpty()) {
				connection.sync().del(keys.toArray(String[]::new));
			}
		}
		finally {
			client.shutdown();
		}
	}

	@Override
	protected void assertRevokedAfterRestart(AssertableApplicationContext context, String id) {
		AsyncResult<Object> sum = context.getBean(TaskOperations.class).result(id);
		assertThat(sum.state()).isEqualTo(TaskState.REVOKED);
		assertThat(exceptionMessage(sum)).isEqualTo(List.of("revoked"));
	}

	@Test
	void pythonClientReadsRevokedForATaskRevokedHere() {
		Assumptions.assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(60), PYTHON, "-c", "import celery, redis"),
				"python3 with celery and redis is not installed");
		application().run((context) -> {
			String id = UUID.randomUUID().toString();

			context.getBean(TaskOperations.class).revoke(id, false);

			TestProcesses.Result python = TestProcesses.run(Duration.ofSeconds(60), PYTHON, "-c", STATE_SCRIPT, URL,
					id);
			assertThat(python.exit()).as(python.stderr()).isZero();
			@SuppressWarnings("unchecked")
			Map<String, Object> out = CeleryJson.newMapper().readValue(python.stdout(), Map.class);
			assertThat(out).containsEntry("state", "REVOKED")
				.containsEntry("type", "TaskRevokedError")
				.containsEntry("message", "revoked");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class StoreConfiguration {

		@Bean
		RedisRevokedTaskStore revokedTaskStore(
				@Qualifier(RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME) RedisConnectionFactory factory,
				TaskQueueProperties properties, @Value("${revoke.test.store}") String key) {
			return new RedisRevokedTaskStore(factory, key, properties.getWorker().getRevokedTtl(), URL);
		}

	}

}
