package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.testsupport.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the chords of {@link RedisResultBackend}: Celery 5.2's {@code .s}, {@code .j} and
 * {@code .t} keys in Redis database 13, as Celery's captured commands write them.
 */
class RedisChordBackendTests {

	@RegisterExtension
	static final ChordRedis redis = new ChordRedis("taskqueue-chords");

	@Test
	void setsTheSizeAsDecimalTextWithExpiryAndPublishesIt() throws Exception {
		String groupId = redis.groupId();
		String key = ChordRedis.key(groupId, ".s");
		try (StatefulRedisPubSubConnection<String, String> subscriber = redis.client().connectPubSub()) {
			BlockingQueue<String> published = TestRedis.subscribe(subscriber, key);
			redis.store.setChordSize(groupId, 12);
			assertThat(redis.redis().get(key)).isEqualTo("12");
			assertThat(redis.redis().ttl(key)).isBetween(ChordRedis.DAY.toSeconds() - 5, ChordRedis.DAY.toSeconds());
			assertThat(published.poll(10, TimeUnit.SECONDS)).isEqualTo("12");
		}
	}

	@Test
	void writesThePartAsCeleryDoesAndReturnsThePartsInGroupIndexOrder() {
		String groupId = redis.groupId();
		redis.store.setChordSize(groupId, 5);
		List<Integer> arrival = List.of(3, 0, 4, 1, 2);
		List<ChordPart> completed = null;
		for (int i = 0; i < arrival.size(); i++) {
			int index = arrival.get(i);
			completed = redis.store.addChordPart(groupId, index, success("id-" + index, index * 10));
			assertThat(completed == null).as("completed by part %d of %d", i + 1, arrival.size())
				.isEqualTo(i < arrival.size() - 1);
		}
		assertThat(completed).extracting(ChordPart::taskId).containsExactly("id-0", "id-1", "id-2", "id-3", "id-4");
		assertThat(completed).extracting(ChordPart::result).containsExactly(0, 10, 20, 30, 40);
		assertThat(redis.redis().zrangeWithScores(ChordRedis.key(groupId, ".j"), 0, 0).get(0).getValue())
			.isEqualTo("[1, \"id-0\", \"SUCCESS\", 0]");
	}

	@Test
	void aPartAddedAgainAfterTheCompletionDoesNotCompleteTheChordTwice() {
		String groupId = redis.groupId();
		redis.store.setChordSize(groupId, 2);
		assertThat(redis.store.addChordPart(groupId, 0, success("a", 1))).isNull();
		assertThat(redis.store.addChordPart(groupId, 1, success("b", 2))).hasSize(2);
		assertThat(redis.store.addChordPart(groupId, 1, success("b", 2)))
			.as("the member run again (redelivered) before the chord's keys were deleted")
			.isNull();
		assertThat(redis.redis().exists(ChordRedis.key(groupId, ".s"))).isZero();
		redis.store.deleteChord(groupId);
	}

	@Test
	void writesTheBytesCeleryWroteInTheCapturedChord() {
		Map<String, Object> fixture = TestRedis.fixture("redis-results/plain/06_chord.json");
		List<List<Object>> zadds = new ArrayList<>();
		for (Object command : (List<?>) fixture.get("backend_commands")) {
			List<Object> cmd = castList(TestRedis.map(command).get("cmd"));
			if ("ZADD".equals(cmd.get(0))) {
				zadds.add(cmd);
			}
		}
		String celeryGroupId = (String) fixture.get("group_id");
		String groupId = redis.groupId();
		for (List<Object> zadd : zadds) {
			String member = (String) zadd.get(3);
			List<Object> parsed = castList(new JsonResultMetaCodec().decodeValue(member.getBytes(StandardCharsets.UTF_8)));
			redis.store.addChordPart(groupId, Integer.valueOf((String) zadd.get(2)),
					new ChordPart((String) parsed.get(1), (String) parsed.get(2), parsed.get(3)));
			assertThat(zadd.get(1)).isEqualTo(ChordRedis.key(celeryGroupId, ".j"));
		}
		assertThat(redis.redis().zrange(ChordRedis.key(groupId, ".j"), 0, -1))
			.containsExactlyElementsOf(zadds.stream().map((zadd) -> (String) zadd.get(3)).toList());
	}

	@Test
	void exactlyOneOfOneHundredConcurrentCallersOnManyConnectionsCompletesTheChord() throws Exception {
		List<LettuceConnectionFactory> factories = IntStream.range(0, 8)
			.mapToObj((i) -> RedisServer.connectionFactory(ChordRedis.DATABASE, "taskqueue-chords-race-" + i, null))
			.toList();
		List<RedisResultBackend> backends = factories.stream()
			.map((factory) -> new RedisResultBackend(factory, new JsonResultMetaCodec(), ChordRedis.DAY, ChordRedis.URL))
			.toList();
		ExecutorService threads = Executors.newFixedThreadPool(32);
		try {
			for (int round = 0; round < 5; round++) {
				String groupId = redis.groupId();
				redis.store.setChordSize(groupId, 100);
				CountDownLatch start = new CountDownLatch(1);
				List<Future<List<ChordPart>>> calls = new ArrayList<>();
				List<Integer> indexes = new ArrayList<>(IntStream.range(0, 100).boxed().toList());
				Collections.shuffle(indexes);
				for (int index : indexes) {
					RedisResultBackend backend = backends.get(index % backends.size());
					calls.add(threads.submit(() -> {
						start.await();
						return backend.canvasStore().addChordPart(groupId, index, success("id-" + index, index));
					}));
				}
				start.countDown();
				List<List<ChordPart>> completions = new ArrayList<>();
				for (Future<List<ChordPart>> call : calls) {
					List<ChordPart> parts = call.get(30, TimeUnit.SECONDS);
					if (parts != null) {
						completions.add(parts);
					}
				}
				assertThat(completions).as("completions in round %d", round).hasSize(1);
				assertThat(completions.get(0)).extracting(ChordPart::result)
					.containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
			}
		}
		finally {
			threads.shutdownNow();
			backends.forEach(RedisResultBackend::destroy);
			factories.forEach(LettuceConnectionFactory::destroy);
		}
	}

	@Test
	void countsTheMembersAddedToTheChordInDotT() {
		String groupId = redis.groupId();
		redis.store.setChordSize(groupId, 2);
		redis.redis().incr(ChordRedis.key(groupId, ".t"));
		assertThat(redis.store.addChordPart(groupId, 0, success("a", 1))).isNull();
		assertThat(redis.store.addChordPart(groupId, 1, success("b", 2))).isNull();
		assertThat(redis.store.addChordPart(groupId, null, success("c", 3))).extracting(ChordPart::taskId)
			.containsExactly("a", "b", "c");
	}

	@Test
	void neverCompletesWithoutASizeAndCountsAnIdenticalPartOnce() {
		String groupId = redis.groupId();
		assertThat(redis.store.addChordPart(groupId, 0, success("a", 1))).isNull();
		redis.store.setChordSize(groupId, 2);
		assertThat(redis.store.addChordPart(groupId, 0, success("a", 1))).isNull();
		assertThat(redis.store.addChordPart(groupId, 1, success("b", 2))).hasSize(2);
	}

	@Test
	void expiresTheThreeKeysAsResultsExpire() {
		String groupId = redis.groupId();
		redis.store.setChordSize(groupId, 3);
		redis.redis().incr(ChordRedis.key(groupId, ".t"));
		redis.store.addChordPart(groupId, 0, success("a", 1));
		for (String suffix : List.of(".j", ".t", ".s")) {
			assertThat(redis.redis().ttl(ChordRedis.key(groupId, suffix))).as(suffix)
				.isBetween(ChordRedis.DAY.toSeconds() - 5, ChordRedis.DAY.toSeconds());
		}
		RedisResultBackend millis = new RedisResultBackend(redis.factory, new JsonResultMetaCodec(),
				Duration.ofMillis(90_500), ChordRedis.URL);
		millis.canvasStore().addChordPart(groupId, 1, success("b", 2));
		assertThat(redis.redis().pttl(ChordRedis.key(groupId, ".j"))).isBetween(85_000L, 90_500L);
		RedisResultBackend forever = new RedisResultBackend(redis.factory, new JsonResultMetaCodec(), Duration.ZERO,
				ChordRedis.URL);
		String kept = redis.groupId();
		forever.canvasStore().addChordPart(kept, 0, success("a", 1));
		assertThat(redis.redis().ttl(ChordRedis.key(kept, ".j"))).isEqualTo(-1L);
	}

	@Test
	void deletesTheThreeKeys() {
		String groupId = redis.groupId();
		redis.store.setChordSize(groupId, 1);
		redis.redis().incr(ChordRedis.key(groupId, ".t"));
		redis.store.addChordPart(groupId, 0, success("a", 1));
		redis.store.deleteChord(groupId);
		assertThat(redis.redis().exists(ChordRedis.key(groupId, ".j"), ChordRedis.key(groupId, ".t"),
				ChordRedis.key(groupId, ".s")))
			.isZero();
	}

	@Test
	void aFailedPartCarriesItsExceptionDict() {
		String groupId = redis.groupId();
		redis.store.setChordSize(groupId, 2);
		redis.store.addChordPart(groupId, 1, new ChordPart("bad", CeleryStates.FAILURE,
				new ExceptionInfo("ValueError", List.of("boom", 7), "builtins")));
		List<ChordPart> parts = redis.store.addChordPart(groupId, 0, success("good", 1));
		assertThat(redis.redis().zrange(ChordRedis.key(groupId, ".j"), 1, 1)).containsExactly(
				"[1, \"bad\", \"FAILURE\", {\"exc_type\": \"ValueError\", \"exc_message\": [\"boom\", 7], \"exc_module\": \"builtins\"}]");
		assertThat(parts.get(1)).isEqualTo(new ChordPart("bad", CeleryStates.FAILURE,
				Map.of("exc_type", "ValueError", "exc_message", List.of("boom", 7), "exc_module", "builtins")));
	}

	@Test
	void writesMsgpackWithThatSerializerAndReadsPartsOfEitherSerializer() {
		String groupId = redis.groupId();
		redis.msgpackStore.setChordSize(groupId, 2);
		redis.msgpackStore.addChordPart(groupId, 0, success("packed", Map.of("k", List.of(1, "x"))));
		assertThat(redis.members(ChordRedis.key(groupId, ".j")).get(0)).startsWith(0x94, 0x01, 0xa6);
		List<ChordPart> parts = redis.store.addChordPart(groupId, 1, success("json", 2.5));
		assertThat(parts).containsExactly(success("packed", Map.of("k", List.of(1, "x"))), success("json", 2.5));
	}

	@Test
	void refusesBadInputAndBadStoredValuesClearly() {
		String groupId = redis.groupId();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> redis.store.addChordPart(groupId, 0, new ChordPart("a", "", 1)))
			.withMessageContaining("needs a task id and a state");
		redis.redis().set(ChordRedis.key(groupId, ".s"), "two");
		assertThatExceptionOfType(ResultBackendException.class)
			.isThrownBy(() -> redis.store.addChordPart(groupId, 0, success("a", 1)))
			.withMessageContaining(ChordRedis.key(groupId, ".s") + " holds no chord size but two");
		redis.redis().set(ChordRedis.key(groupId, ".s"), "2");
		redis.redis().zadd(ChordRedis.key(groupId, ".j"), 5, "{\"not\": \"a part\"}");
		assertThatExceptionOfType(ResultBackendException.class)
			.isThrownBy(() -> redis.store.addChordPart(groupId, 0, success("a", 1)))
			.withMessageContaining("Invalid chord part in " + ChordRedis.key(groupId, ".j"));
	}

	private static ChordPart success(String taskId, Object result) {
		return new ChordPart(taskId, CeleryStates.SUCCESS, result);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> castList(Object value) {
		return (List<Object>) value;
	}

}
