package dev.taskqueue.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.CeleryTime;
import dev.taskqueue.testsupport.RabbitServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample jars with beat enabled on the same broker, Redis or RabbitMQ alone: the
 * every-second entry goes out once per second in total, not twice; killing the leading jar with
 * SIGKILL leaves the other to take over within the lease, with no tick sent twice and no gap
 * longer than the lease. The jars run no worker, so the ticks stay in the queue to be counted.
 */
class BeatFailoverIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration LEASE = Duration.ofSeconds(5);

	private final String queue = Interop.uniqueQueue("beat");

	private final String key = "taskqueue.beat." + UUID.randomUUID();

	@Test
	void onRedisEachTickGoesOutOnceAndTheSurvivorTakesOverWithinTheLease() throws Exception {
		failover(Stack.REDIS, this::redisDues);
	}

	@Test
	void onRabbitMqAloneEachTickGoesOutOnceAndTheSurvivorTakesOverWithinTheLease() throws Exception {
		try {
			failover(Stack.AMQP_RPC, this::rabbitDues);
		}
		finally {
			RabbitServer.deleteQueues(this.queue, this.key + ".last-run.tick");
		}
	}

	private void failover(Stack stack, Callable<List<Instant>> ticks) throws Exception {
		String[] properties = stack.javaProperties(this.queue, "taskqueue.worker.enabled=false",
				"taskqueue.beat.enabled=true", "taskqueue.beat.lease=" + LEASE.toSeconds() + "s",
				"taskqueue.beat.key=" + this.key, "taskqueue.beat.schedule.tick.task=tasks.add",
				"taskqueue.beat.schedule.tick.every=1s", "taskqueue.beat.schedule.tick.args[0]=1",
				"taskqueue.beat.schedule.tick.args[1]=2", "taskqueue.beat.schedule.tick.queue=" + this.queue,
				// RabbitMQ drops a message past its expiry: keep the ticks to count them
				"taskqueue.beat.schedule.tick.options.expires=300s");
		try (JavaWorkerProcess first = JavaWorkerProcess.start("beat-1", properties);
				JavaWorkerProcess second = JavaWorkerProcess.start("beat-2", properties)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> ticks.call().size() >= 5);
			List<Instant> together = ticks.call();
			assertThat(together).as("each tick once").doesNotHaveDuplicates();
			assertThat(maxGap(together)).as("one tick a second").isLessThanOrEqualTo(Duration.ofMillis(1500));
			JavaWorkerProcess leader = leads(first) ? first : second;
			JavaWorkerProcess survivor = (leader == first) ? second : first;
			assertThat(leads(survivor)).isFalse();
			leader.kill();
			Instant killed = Instant.now();
			await().atMost(LEASE.multipliedBy(3)).until(() -> leads(survivor));
			int before = ticks.call().size();
			await().atMost(Duration.ofSeconds(10)).until(() -> ticks.call().size() >= before + 3);
			List<Instant> all = ticks.call();
			assertThat(all).as("no tick twice over the failover").doesNotHaveDuplicates();
			assertThat(all.get(all.size() - 1)).isAfter(killed);
			assertThat(maxGap(all)).as("no gap longer than the lease").isLessThanOrEqualTo(LEASE.plusSeconds(2));
		}
	}

	private boolean leads(JavaWorkerProcess jar) throws Exception {
		RestClient http = RestClient.create("http://127.0.0.1:" + jar.httpPort());
		JsonNode taskqueue = JSON.readTree(http.get().uri("/actuator/taskqueue").retrieve().body(String.class));
		return taskqueue.path("beat").path("leader").asBoolean(false);
	}

	/** The due times of the ticks in the Redis list, oldest first (LPUSH puts the newest first). */
	private List<Instant> redisDues() {
		List<String> envelopes = Interop.withRedis(Interop.BROKER, (redis) -> redis.lrange(this.queue, 0, -1));
		List<Instant> dues = new ArrayList<>();
		for (int i = envelopes.size() - 1; i >= 0; i--) {
			JsonNode headers = JSON.readTree(envelopes.get(i)).path("headers");
			dues.add(CeleryTime.parse(headers.path("beat_due").asString()));
		}
		return dues;
	}

	/**
	 * The due times of the ticks in the RabbitMQ queue, oldest first, read without taking them:
	 * fetched unacknowledged, then given back when the channel closes.
	 */
	private List<Instant> rabbitDues() throws Exception {
		List<Instant> dues = new ArrayList<>();
		try (Connection connection = RabbitServer.rawConnection("beat-it"); Channel channel = connection.createChannel()) {
			for (GetResponse message = channel.basicGet(this.queue, false); message != null; message = channel
				.basicGet(this.queue, false)) {
				Object due = message.getProps().getHeaders().get("beat_due");
				dues.add(CeleryTime.parse(String.valueOf(due)));
			}
		}
		return dues;
	}

	private static Duration maxGap(List<Instant> dues) {
		Duration max = Duration.ZERO;
		for (int i = 1; i < dues.size(); i++) {
			Duration gap = Duration.between(dues.get(i - 1), dues.get(i));
			max = (gap.compareTo(max) > 0) ? gap : max;
		}
		return max;
	}

}
