package dev.taskqueue.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.CeleryTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample jars with beat enabled on the same Redis: the every-second entry goes out once per
 * second in total, not twice; killing the leading jar with SIGKILL leaves the other to take over
 * within the lease, with no tick sent twice and no gap longer than the lease.
 */
class BeatFailoverIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration LEASE = Duration.ofSeconds(5);

	private final String queue = Interop.uniqueQueue("beat");

	@Test
	void twoInstancesSendEachTickOnceAndTheSurvivorTakesOverWithinTheLease() throws Exception {
		String[] properties = Stack.REDIS.javaProperties(this.queue, "taskqueue.worker.enabled=false",
				"taskqueue.beat.enabled=true", "taskqueue.beat.lease=" + LEASE.toSeconds() + "s",
				"taskqueue.beat.key=taskqueue.beat." + UUID.randomUUID(), "taskqueue.beat.schedule.tick.task=tasks.add",
				"taskqueue.beat.schedule.tick.every=1s", "taskqueue.beat.schedule.tick.args[0]=1",
				"taskqueue.beat.schedule.tick.args[1]=2", "taskqueue.beat.schedule.tick.queue=" + this.queue);
		try (JavaWorkerProcess first = JavaWorkerProcess.start("beat-1", properties);
				JavaWorkerProcess second = JavaWorkerProcess.start("beat-2", properties)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> dues().size() >= 5);
			List<Instant> together = dues();
			assertThat(together).as("each tick once").doesNotHaveDuplicates();
			assertThat(maxGap(together)).as("one tick a second").isLessThanOrEqualTo(Duration.ofMillis(1500));
			JavaWorkerProcess leader = leads(first) ? first : second;
			JavaWorkerProcess survivor = (leader == first) ? second : first;
			assertThat(leads(survivor)).isFalse();
			leader.kill();
			Instant killed = Instant.now();
			await().atMost(LEASE.multipliedBy(3)).until(() -> leads(survivor));
			int before = dues().size();
			await().atMost(Duration.ofSeconds(10)).until(() -> dues().size() >= before + 3);
			List<Instant> all = dues();
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

	/** The due times of the ticks in the queue, oldest first (LPUSH puts the newest first). */
	private List<Instant> dues() {
		List<String> envelopes = Interop.withRedis(Interop.BROKER, (redis) -> redis.lrange(this.queue, 0, -1));
		List<Instant> dues = new ArrayList<>();
		for (int i = envelopes.size() - 1; i >= 0; i--) {
			JsonNode headers = JSON.readTree(envelopes.get(i)).path("headers");
			dues.add(CeleryTime.parse(headers.path("beat_due").asString()));
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
