package dev.taskqueue.interop;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.testsupport.RedisSentinels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Python Celery client and the Java sample app share tasks and results through Redis
 * behind Sentinel, both with {@code sentinel://} URLs and the master's name, across a failover
 * the Sentinels run and across the crash of the master. The master, its replica and three
 * Sentinels are the test's own ({@link RedisSentinels}, ports 16440, 16441 and 26440 to 26442).
 */
class RedisSentinelIT {

	private static final String QUEUE = Interop.uniqueQueue("sentinel");

	private static final String MASTER = "tq-interop";

	private static RedisSentinels sentinels;

	private static Map<String, String> env;

	private static ConfigurableApplicationContext javaWorker;

	@BeforeAll
	static void start() throws Exception {
		sentinels = RedisSentinels.start(Files.createTempDirectory("sentinel-interop"), 16440, MASTER);
		Stack stack = new Stack(sentinels.url(10), sentinels.url(11));
		env = stack.pythonEnv(QUEUE, "INTEROP_MASTER_NAME", MASTER);
		javaWorker = JavaSample.start(stack.javaProperties(QUEUE, "taskqueue.broker.redis.master-name=" + MASTER,
				"taskqueue.backend.redis.master-name=" + MASTER));
	}

	@AfterAll
	static void stop() {
		if (javaWorker != null) {
			javaWorker.close();
		}
		if (sentinels != null) {
			sentinels.close();
		}
	}

	@Test
	void pythonAndJavaShareTasksAndResultsAcrossAFailoverAndACrash() throws Exception {
		assertThat(add(2, 3)).isEqualTo(5);
		int promoted = sentinels.failover();
		assertThat(add(20, 22)).isEqualTo(42);
		assertThat(javaWorker.getBean(Broker.class).pingServer()).isEqualTo("master 127.0.0.1:" + promoted);
		int afterCrash = sentinels.killMaster();
		assertThat(afterCrash).isNotEqualTo(promoted);
		assertThat(add(100, 1)).isEqualTo(101);
		assertThat(javaWorker.getBean(Broker.class).pingServer()).isEqualTo("master 127.0.0.1:" + afterCrash);
	}

	private static int add(int x, int y) throws Exception {
		JsonNode out = PythonCelery.client(env, "send", "tasks.add",
				"{\"args\": [" + x + ", " + y + "], \"queue\": \"" + QUEUE + "\", \"wait\": 60}");
		assertThat(out.get("state").asString()).as(out.toString()).isEqualTo("SUCCESS");
		return out.get("result").asInt();
	}

}
