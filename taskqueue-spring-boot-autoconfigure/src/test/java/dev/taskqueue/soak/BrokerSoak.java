package dev.taskqueue.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.soak.SoakRun.Accounting;
import dev.taskqueue.soak.SoakRun.Fault;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.testsupport.RedisSentinels;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak with accounting (issue 15): on each broker, two producers send numbered tasks at
 * a steady rate for a minute to two workers in JVMs of their own (acks late), while the test
 * kills workers with SIGKILL and starts them again, kills the Redis master so that Sentinel
 * promotes the replica, restarts RabbitMQ (always started again) and closes the connections; at the end it prints, per broker, how
 * many tasks were sent, executed, executed more than once and lost, and fails when one sent
 * was lost. Not part of the unit tests: {@code ./mvnw -Psoak -pl
 * taskqueue-spring-boot-autoconfigure verify} runs it (and {@code .ci/run} does).
 * <p>
 * Redis runs as a master, a replica and three Sentinels of the test's own (ports 16460,
 * 16461, 26460 to 26462); RabbitMQ is the machine's, in a virtual host of the test's own
 * ({@code tq-soak}), stopped once and started again ({@code rabbitmqctl stop_app},
 * {@code start_app}); the ledger of executions is in database 12 of the machine's Redis.
 * <p>
 * The Redis producers wait for the replica ({@code wait-for-replicas=1}), as the README
 * recommends behind Sentinel, so that a master killed right after acknowledging a send cannot
 * take the task away; sends made while no replica follows the new master fail, and count as
 * failed sends, not as lost tasks.
 * <p>
 * This soak found that a worker killed while it waited in {@code BRPOP} on an empty queue
 * could take the next message with it (the dead JVM's connection stays open for some
 * milliseconds, and Redis hands it the message, which is then neither in the queue nor
 * unacknowledged); idle consumers now wait with a blocking peek instead (see
 * {@code RedisConsumption}). The report names any lost message with the faults just before it
 * and the worker log lines that mention it.
 */
class BrokerSoak {

	private static final int BASE_PORT = 16460;

	private static final String VHOST = "tq-soak";

	private static final Duration SEND_FOR = Duration.ofSeconds(60);

	private static final int PER_SECOND = 20;

	private static final Duration DRAIN = Duration.ofSeconds(90);

	private static final List<String> COMMON = List.of("taskqueue.default-queue=soak", "taskqueue.worker.concurrency=2",
			"taskqueue.task.acks-late=true", "taskqueue.task.ignore-result=true");

	@Test
	void redisBehindSentinel() throws Exception {
		Path dir = Files.createTempDirectory("soak-redis");
		try (RedisSentinels sentinels = RedisSentinels.start(dir, BASE_PORT, "soak-master")) {
			List<String> properties = new ArrayList<>(COMMON);
			properties.addAll(List.of("taskqueue.broker.url=" + sentinels.url(0),
					"taskqueue.broker.redis.master-name=" + sentinels.masterName(),
					"taskqueue.broker.redis.visibility-timeout=10s", "taskqueue.broker.redis.wait-for-replicas=1"));
			SoakRun soak = new SoakRun("redis-sentinel", dir, properties);
			List<Fault> faults = List.of(killWorker(8, soak, 0),
					new Fault(Duration.ofSeconds(20), "SIGKILL the Redis master", true,
							() -> "Sentinel promoted 127.0.0.1:" + sentinels.killMaster()
									+ ", the old master runs again as its replica"),
					new Fault(Duration.ofSeconds(34), "CLIENT KILL TYPE normal on the master", true,
							() -> "closed " + clientKill(sentinels.masterPort()) + " connection(s)"),
					killWorker(40, soak, 1),
					new Fault(Duration.ofSeconds(50), "SIGKILL the Redis master", true,
							() -> "Sentinel promoted 127.0.0.1:" + sentinels.killMaster()
									+ ", the old master runs again as its replica"));
			assertNothingLost(soak, faults, Duration.ofSeconds(15), () -> redisState(sentinels.masterPort()));
		}
	}

	@Test
	void rabbitMq() throws Exception {
		RabbitServer.ensureRunning();
		Path dir = Files.createTempDirectory("soak-rabbitmq");
		deleteVhost();
		RabbitServer.rabbitmqctl("add_vhost", VHOST);
		try {
			RabbitServer.rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
			List<String> properties = new ArrayList<>(COMMON);
			properties.add("taskqueue.broker.url=amqp://guest:guest@" + RabbitServer.HOST + ":" + RabbitServer.PORT + "/"
					+ VHOST);
			SoakRun soak = new SoakRun("rabbitmq", dir, properties);
			List<Fault> faults = List.of(killWorker(8, soak, 0),
					new Fault(Duration.ofSeconds(20), "close every connection of the virtual host", true,
							BrokerSoak::closeConnections),
					killWorker(30, soak, 1),
					new Fault(Duration.ofSeconds(38), "restart RabbitMQ (stop_app, start_app)", true,
							BrokerSoak::restartRabbitMq),
					killWorker(52, soak, 0));
			assertNothingLost(soak, faults, Duration.ofSeconds(5), BrokerSoak::rabbitState);
		}
		finally {
			deleteVhost();
		}
	}

	// Run the soak with its producers in this JVM, print the accounting and check it.
	private static void assertNothingLost(SoakRun soak, List<Fault> faults, Duration settle,
			Supplier<String> brokerState) {
		soak.startWorkers();
		AtomicReference<Accounting> accounting = new AtomicReference<>();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withPropertyValues(soak.properties().toArray(String[]::new))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TaskOperations tasks = context.getBean(TaskOperations.class);
				accounting.set(soak.run(tasks, SEND_FOR, PER_SECOND, DRAIN, settle, faults, brokerState));
			});
		Accounting result = accounting.get();
		System.out.println(result.summary());
		result.details().forEach(System.out::println);
		assertThat(result.sent()).as("tasks sent").isGreaterThan((int) SEND_FOR.toSeconds() * PER_SECOND * 9 / 10);
		assertThat(result.unknown()).as("numbers that ran but were never sent").isEmpty();
		assertThat(result.lost()).as("tasks sent that never ran: " + result.summary()).isEmpty();
	}

	// SIGKILL a worker and start it again.
	private static Fault killWorker(int second, SoakRun soak, int worker) {
		return new Fault(Duration.ofSeconds(second), "SIGKILL worker " + (worker + 1), false,
				() -> soak.killWorker(worker));
	}

	// CLIENT KILL TYPE normal on a Redis of the test's own: every client connection drops.
	private static String clientKill(int port) {
		return redisCli(port, "CLIENT", "KILL", "TYPE", "normal");
	}

	// The queue's length and the unacknowledged messages on the Redis master.
	private static String redisState(int port) {
		return "queue soak: " + redisCli(port, "LLEN", "soak") + " message(s), unacked: " + redisCli(port, "HLEN", "unacked")
				+ ", unacked_index: " + redisCli(port, "ZCARD", "unacked_index");
	}

	// A redis-cli command on a Redis of the test's own.
	private static String redisCli(int port, String... command) {
		return RedisServer.cli(port, command).stdout().trim();
	}

	// The queues of the test's virtual host, with their ready and unacknowledged messages.
	private static String rabbitState() {
		return RabbitServer.rabbitmqctl("list_queues", "-q", "-p", VHOST, "name", "messages_ready",
				"messages_unacknowledged")
			.trim()
			.replaceAll("\\s+", " ");
	}

	// Close the connections of the test's virtual host only, as a broker failure would.
	private static String closeConnections() {
		return RabbitServer.rabbitmqctl("close_all_connections", "--vhost", VHOST, "soak: connections flapped").trim();
	}

	// Stop the machine's RabbitMQ application and start it again: queues and persistent
	// messages survive, every connection drops, and sends meanwhile fail.
	private static String restartRabbitMq() {
		RabbitServer.stopApp();
		RabbitServer.startApp();
		return "RabbitMQ stopped and started again";
	}

	// Delete the test's virtual host, if it is there.
	private static void deleteVhost() {
		if (RabbitServer.rabbitmqctl("list_vhosts", "-q", "name").lines().anyMatch(VHOST::equals)) {
			RabbitServer.rabbitmqctl("delete_vhost", VHOST);
		}
	}

}
