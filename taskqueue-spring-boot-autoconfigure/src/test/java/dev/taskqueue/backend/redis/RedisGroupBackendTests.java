package dev.taskqueue.backend.redis;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.taskqueue.backend.ResultBackendException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the saved groups of {@link RedisResultBackend}: Celery 5.2's
 * {@code celery-taskset-meta-<group id>} holding {@code {"result": tuple}}, in Redis database
 * 13.
 */
class RedisGroupBackendTests {

	@RegisterExtension
	static final ChordRedis redis = new ChordRedis("taskqueue-groups");

	@Test
	void savesTheValueCeleryWroteWithExpiryAndPublishesIt() throws Exception {
		Map<String, Object> fixture = TestRedis.fixture("redis-results/plain/05_group_saved.json");
		String celeryGroupId = (String) fixture.get("group_id");
		String raw = (String) TestRedis.map(TestRedis.map(fixture.get("keys"))
			.get(RedisChords.GROUP_PREFIX + celeryGroupId)).get("raw");
		String groupId = redis.use(UUID.randomUUID().toString());
		List<?> children = (List<?>) fixture.get("children");
		String key = ChordRedis.key(groupId, "");
		try (StatefulRedisPubSubConnection<String, String> subscriber = redis.client().connectPubSub()) {
			BlockingQueue<String> published = TestRedis.subscribe(subscriber, key);
			redis.store.saveGroup(groupId, ChordRedis.groupTuple(groupId, ChordRedis.taskTuple((String) children.get(0)),
					ChordRedis.taskTuple((String) children.get(1))));
			String expected = raw.replace(celeryGroupId, groupId);
			assertThat(redis.redis().get(key)).isEqualTo(expected);
			assertThat(redis.redis().ttl(key)).isBetween(ChordRedis.DAY.toSeconds() - 5, ChordRedis.DAY.toSeconds());
			assertThat(published.poll(10, TimeUnit.SECONDS)).isEqualTo(expected);
		}
	}

	@Test
	void restoresASavedGroupAndANestedOne() {
		String groupId = redis.groupId();
		String innerId = "inner-" + UUID.randomUUID();
		List<Object> tuple = ChordRedis.groupTuple(groupId, ChordRedis.taskTuple("a"),
				ChordRedis.groupTuple(innerId, ChordRedis.taskTuple("b"), ChordRedis.taskTuple("c")), Arrays.asList(Arrays.asList("d", ChordRedis.taskTuple("a")), null));
		redis.store.saveGroup(groupId, tuple);
		assertThat(redis.store.restoreGroup(groupId)).isEqualTo(tuple);
		assertThat(redis.msgpackStore.restoreGroup(groupId)).isEqualTo(tuple);
	}

	@Test
	void savesWithMsgpackWhenThatIsTheSerializerAndReadsEither() {
		String groupId = redis.groupId();
		List<Object> tuple = ChordRedis.groupTuple(groupId, ChordRedis.taskTuple("a"), ChordRedis.taskTuple("b"));
		redis.msgpackStore.saveGroup(groupId, tuple);
		assertThat(redis.value(ChordRedis.key(groupId, ""))).startsWith(0x81, 0xa6);
		assertThat(redis.store.restoreGroup(groupId)).isEqualTo(tuple);
	}

	@Test
	void forgetsAGroupAndRestoresNothingForAnUnknownOne() {
		String groupId = redis.groupId();
		redis.store.saveGroup(groupId, ChordRedis.groupTuple(groupId, ChordRedis.taskTuple("a")));
		redis.store.forgetGroup(groupId);
		assertThat(redis.redis().exists(ChordRedis.key(groupId, ""))).isZero();
		assertThat(redis.store.restoreGroup(groupId)).isNull();
	}

	@Test
	void refusesTuplesThatAreNotOfTheGroupAndStoredValuesThatAreNoGroup() {
		String groupId = redis.groupId();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> redis.store.saveGroup(groupId, ChordRedis.taskTuple("a")))
			.withMessageContaining("must be [[group_id, parent], [member tuples]]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> redis.store.saveGroup(groupId, ChordRedis.groupTuple("other", ChordRedis.taskTuple("a"))))
			.withMessageContaining("is the tuple of group other");
		redis.redis().set(ChordRedis.key(groupId, ""), "{\"status\": \"SUCCESS\"}");
		assertThatExceptionOfType(ResultBackendException.class).isThrownBy(() -> redis.store.restoreGroup(groupId))
			.withMessageContaining("Invalid saved group in " + ChordRedis.key(groupId, ""));
		redis.redis().set(ChordRedis.key(groupId, ""), "\u0000garbage");
		assertThatExceptionOfType(ResultBackendException.class).isThrownBy(() -> redis.store.restoreGroup(groupId))
			.withMessageContaining("is neither JSON nor msgpack");
	}

}
