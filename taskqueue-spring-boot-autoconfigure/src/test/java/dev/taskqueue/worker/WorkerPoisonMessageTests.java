package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.RecordingHandler;
import dev.taskqueue.broker.amqp.AmqpBroker;
import dev.taskqueue.broker.amqp.AmqpTransportOptions;
import dev.taskqueue.broker.redis.RedisBroker;
import dev.taskqueue.broker.redis.RedisTransportOptions;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.testsupport.RabbitServer;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A worker on the real Redis (database 15) and RabbitMQ (classic and quorum queues) gets a
 * message whose earlier consumers died without settling it: past max-deliveries it is
 * dead-lettered, read back through the transport's {@link BrokerAdmin}, with FAILURE
 * {@code WorkerLostError} stored; without reject-on-worker-lost an acks-late task's message
 * is acknowledged with FAILURE {@code WorkerLostError} instead of run again.
 */
class WorkerPoisonMessageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final Duration VISIBILITY = Duration.ofMillis(500);

	private static final JsonMessageCodec CODEC = new JsonMessageCodec();

	private final String name = "deliv-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<Runnable> cleanups = new ArrayList<>();

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(5));

	private final TestTasks tasks = new TestTasks();

	@AfterEach
	void cleanUp() {
		for (int i = this.cleanups.size() - 1; i >= 0; i--) {
			try {
				this.cleanups.get(i).run();
			}
			catch (RuntimeException ex) {
				// cleaning up anyway
			}
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void messageDeliveredMoreThanMaxDeliveriesIsDeadLetteredAndFails(Transport transport) {
		Broker broker = newBroker(transport);
		AsyncResult<Object> result = template(broker, transport).send("t.add", 1, 2);
		deliverAndDie(transport);
		deliverAndDie(transport);
		startWorker(broker, 2, true);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionType()).isEqualTo("WorkerLostError"));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(((BrokerAdmin) broker).deadLetters(this.name, 10))
			.singleElement()
			.satisfies((letter) -> {
				assertThat(letter.taskId()).isEqualTo(result.id());
				assertThat(letter.reason()).startsWith("Message delivered 3 times, more than the limit of 2 ");
			}));
		assertThat(this.tasks.executions).hasValue(0);
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void withoutRejectOnWorkerLostARedeliveredMessageFailsInsteadOfRunningAgain(Transport transport) {
		Broker broker = newBroker(transport);
		AsyncResult<Object> result = template(broker, transport).send("t.add", 1, 2);
		deliverAndDie(transport);
		startWorker(broker, 5, false);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getExceptionMessage()).startsWith("Worker exited prematurely"));
		await().atMost(TIMEOUT).until(() -> ((BrokerAdmin) broker).size(this.name) == 0);
		assertThat(((BrokerAdmin) broker).deadLetters(this.name, 10)).isEmpty();
		assertThat(this.tasks.executions).hasValue(0);
		AsyncResult<Object> next = template(broker, transport).send("t.add", 2, 3);
		assertThat(next.get(TIMEOUT)).isEqualTo(5);
	}

	private void startWorker(Broker broker, int maxDeliveries, boolean rejectOnWorkerLost) {
		TaskRegistry registry = new TaskRegistry(TestTaskAnnotations.defaults(true, rejectOnWorkerLost));
		new CeleryTaskAnnotationBeanPostProcessor(registry).postProcessAfterInitialization(this.tasks, "tasks");
		WorkerSettings settings = new WorkerSettings("celery@poison", List.of(this.name), 1, 1, Duration.ofSeconds(5),
				false, WorkerSettings.DEFAULT_MAX_HELD_ETA, WorkerSettings.DEFAULT_STALL_TIMEOUT, maxDeliveries);
		WorkerContainer worker = new WorkerContainer(broker, this.backend, registry, new WorkerState(), settings,
				CeleryJson.newMapper(), null);
		worker.start();
		this.cleanups.add(worker::stop);
	}

	private TaskTemplate template(Broker broker, Transport transport) {
		DefaultTaskRouter router = new DefaultTaskRouter(this.name, Map.of(this.name, queue(transport)), List.of(),
				true, null);
		return new TaskTemplate(broker, this.backend, router, CODEC, CeleryJson.newMapper(), DataSize.ofMegabytes(8));
	}

	/**
	 * Take the message on a broker with connections of its own, read its delivery count as a
	 * worker does on receipt, and cut the connections without settling it, as a worker whose
	 * JVM died: RabbitMQ requeues it at once, Redis once the visibility timeout passed
	 * (restored by the next consumer).
	 */
	private void deliverAndDie(Transport transport) {
		RecordingHandler handler = new RecordingHandler();
		if (transport == Transport.REDIS) {
			LettuceConnectionFactory factory = redisFactory();
			RedisBroker doomed = redisBroker(factory);
			Consumption consumption = doomed.consume(new ConsumerSettings(List.of(this.name), 1), handler);
			handler.await(1).get(0).deliveryCount();
			consumption.close();
			factory.destroy();
			this.cleanups.add(doomed::destroy);
			// a restore it was running keeps unacked_mutex until it expires (300 s): expire it now
			withRedis((redis) -> redis.del(this.name + ":unacked_mutex"));
		}
		else {
			CachingConnectionFactory factory = RabbitServer.connectionFactory("deliv-doomed");
			AmqpBroker doomed = new AmqpBroker(factory, CODEC, amqpOptions(transport));
			Consumption consumption = doomed.consume(new ConsumerSettings(List.of(this.name), 1), handler);
			handler.await(1).get(0).deliveryCount();
			consumption.close();
			factory.destroy();
			doomed.destroy();
		}
	}

	private Broker newBroker(Transport transport) {
		if (transport == Transport.REDIS) {
			LettuceConnectionFactory factory = redisFactory();
			RedisBroker broker = redisBroker(factory);
			this.cleanups.add(factory::destroy);
			this.cleanups.add(broker::destroy);
			this.cleanups.add(this::deleteRedisKeys);
			return broker;
		}
		CachingConnectionFactory factory = RabbitServer.connectionFactory("deliv-worker");
		AmqpBroker broker = new AmqpBroker(factory, CODEC, amqpOptions(transport));
		this.cleanups.add(() -> {
			RabbitAdmin admin = new RabbitAdmin(factory);
			admin.deleteQueue(this.name);
			admin.deleteQueue(this.name + ".dead-letter");
			factory.destroy();
		});
		this.cleanups.add(broker::destroy);
		return broker;
	}

	private RedisBroker redisBroker(LettuceConnectionFactory factory) {
		return new RedisBroker(factory, CODEC,
				new RedisTransportOptions(RedisServer.url(15), VISIBILITY, this.name + ":"));
	}

	private static LettuceConnectionFactory redisFactory() {
		RedisServer.ensureRunning();
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(RedisServer.HOST, RedisServer.PORT);
		server.setDatabase(15);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private void deleteRedisKeys() {
		withRedis((redis) -> {
			List<String> keys = redis.keys(this.name + ":*");
			return keys.isEmpty() ? 0L : redis.del(keys.toArray(new String[0]));
		});
	}

	private static void withRedis(Function<RedisCommands<String, String>, Long> action) {
		RedisClient client = RedisClient.create(RedisServer.url(15));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			action.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

	private AmqpTransportOptions amqpOptions(Transport transport) {
		return new AmqpTransportOptions(RabbitServer.MASKED_URL, Map.of(this.name, queue(transport)), true,
				AmqpTransportOptions.DEFAULT_CONFIRM_TIMEOUT);
	}

	private QueueSpec queue(Transport transport) {
		Map<String, Object> arguments = (transport == Transport.AMQP_QUORUM) ? Map.of("x-queue-type", "quorum")
				: Map.of();
		return new QueueSpec(this.name, this.name, ExchangeType.DIRECT, this.name, true, null, arguments);
	}

	enum Transport {

		REDIS, AMQP_CLASSIC, AMQP_QUORUM

	}

}
