package dev.taskqueue.backend.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.taskqueue.backend.ResultSubscription;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.MessageEncodingException;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link InMemoryResultBackend}.
 */
class InMemoryResultBackendTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(10), this.clock);

	@Test
	void unknownTaskIsPending() {
		assertThat(this.backend.get("nope").status()).isEqualTo(CeleryStates.PENDING);
	}

	@Test
	void successIsNeverOverwritten() {
		this.backend.store(ResultMeta.of("t1", CeleryStates.SUCCESS, 5));
		this.backend.store(ResultMeta.of("t1", CeleryStates.FAILURE, null));
		this.backend.store(ResultMeta.of("t1", CeleryStates.STARTED, null));
		assertThat(this.backend.get("t1").status()).isEqualTo(CeleryStates.SUCCESS);
		assertThat(this.backend.get("t1").result()).isEqualTo(5);
	}

	@Test
	void laterStatesReplaceEarlierOnes() {
		this.backend.store(ResultMeta.of("t2", CeleryStates.STARTED, Map.of("pid", 1)));
		this.backend.store(ResultMeta.of("t2", "PROGRESS", Map.of("current", 2)));
		assertThat(this.backend.get("t2").status()).isEqualTo("PROGRESS");
	}

	@Test
	void subscribersSeeEveryStoredStateUntilClosed() {
		List<String> seen = new CopyOnWriteArrayList<>();
		ResultSubscription subscription = this.backend.subscribe("t3", (meta) -> seen.add(meta.status()));
		this.backend.store(ResultMeta.of("t3", CeleryStates.STARTED, null));
		this.backend.store(ResultMeta.of("t3", CeleryStates.SUCCESS, 1));
		this.backend.store(ResultMeta.of("t3", CeleryStates.FAILURE, null));
		subscription.close();
		this.backend.store(ResultMeta.of("other", CeleryStates.SUCCESS, 1));
		assertThat(seen).containsExactly("STARTED", "SUCCESS");
	}

	@Test
	void followTellsTheStoredStateOnTheCallingThreadThenTheNewOnes() {
		this.backend.store(ResultMeta.of("t4", CeleryStates.STARTED, null));
		this.backend.store(ResultMeta.of("t4", "PROGRESS", Map.of("step", 1)));
		List<String> seen = new CopyOnWriteArrayList<>();
		List<Thread> threads = new CopyOnWriteArrayList<>();
		try (ResultSubscription subscription = this.backend.follow("t4", (meta) -> {
			seen.add(meta.status());
			threads.add(Thread.currentThread());
		})) {
			assertThat(seen).containsExactly("PROGRESS");
			this.backend.store(ResultMeta.of("t4", CeleryStates.SUCCESS, 1));
		}
		assertThat(seen).containsExactly("PROGRESS", "SUCCESS");
		assertThat(threads).containsOnly(Thread.currentThread());
		List<String> pending = new CopyOnWriteArrayList<>();
		try (ResultSubscription subscription = this.backend.follow("t5", (meta) -> pending.add(meta.status()))) {
			assertThat(pending).isEmpty();
		}
	}

	@Test
	void listenerThatThrowsDoesNotFailTheStoreNorStopTheOthers() {
		List<String> seen = new CopyOnWriteArrayList<>();
		this.backend.subscribe("t6", (meta) -> {
			throw new IllegalStateException("listener bug");
		});
		this.backend.subscribe("t6", (meta) -> seen.add(meta.status()));
		this.backend.store(ResultMeta.of("t6", CeleryStates.SUCCESS, 1));
		assertThat(seen).containsExactly(CeleryStates.SUCCESS);
		assertThat(this.backend.get("t6").status()).isEqualTo(CeleryStates.SUCCESS);
	}

	@Test
	void resultsExpire() {
		this.backend.store(ResultMeta.of("t4", CeleryStates.SUCCESS, 1));
		this.clock.advance(Duration.ofMinutes(11));
		assertThat(this.backend.get("t4").status()).isEqualTo(CeleryStates.PENDING);
	}

	@Test
	void forgetDeletes() {
		this.backend.store(ResultMeta.of("t5", CeleryStates.SUCCESS, 1));
		this.backend.forget("t5");
		assertThat(this.backend.get("t5").status()).isEqualTo(CeleryStates.PENDING);
	}

	@Test
	void resultWithoutJsonFormIsRefused() {
		assertThatExceptionOfType(MessageEncodingException.class)
			.isThrownBy(() -> this.backend.store(ResultMeta.of("t6", CeleryStates.SUCCESS, new Object())));
		assertThat(this.backend.get("t6").status()).isEqualTo(CeleryStates.PENDING);
	}

}
