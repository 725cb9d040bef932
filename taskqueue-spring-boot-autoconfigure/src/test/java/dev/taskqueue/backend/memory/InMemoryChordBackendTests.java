package dev.taskqueue.backend.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ExceptionInfo;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.MessageEncodingException;
import dev.taskqueue.protocol.Serializer;
import dev.taskqueue.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the chords and saved groups of {@link InMemoryResultBackend}, which behave as on
 * Celery's Redis backend.
 */
class InMemoryChordBackendTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(10), this.clock);

	private final CanvasStore chords = this.backend.canvasStore();

	@Test
	void completesOnTheLastPartWithThePartsInGroupIndexOrder() {
		assertThat(this.backend.canvasStore()).isNotNull();
		this.chords.setChordSize("g", 4);
		assertThat(this.chords.addChordPart("g", 2, success("c", 3))).isNull();
		assertThat(this.chords.addChordPart("g", null, success("z", 26))).isNull();
		assertThat(this.chords.addChordPart("g", 0, success("a", 1))).isNull();
		assertThat(this.chords.addChordPart("g", 1, success("b", Map.of("k", 2)))).containsExactly(success("a", 1),
				success("b", Map.of("k", 2)), success("c", 3), success("z", 26));
	}

	@Test
	void exactlyOneOfOneHundredConcurrentCallersCompletesTheChord() throws Exception {
		this.chords.setChordSize("race", 100);
		ExecutorService threads = Executors.newFixedThreadPool(32);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Integer> indexes = new ArrayList<>(IntStream.range(0, 100).boxed().toList());
			Collections.shuffle(indexes);
			List<Future<List<ChordPart>>> calls = new ArrayList<>();
			for (int index : indexes) {
				calls.add(threads.submit(() -> {
					start.await();
					return this.chords.addChordPart("race", index, success("id-" + index, index));
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
			assertThat(completions).hasSize(1);
			assertThat(completions.get(0)).extracting(ChordPart::result)
				.containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void aPartAddedAgainAfterTheCompletionDoesNotCompleteTheChordTwice() {
		this.chords.setChordSize("again", 2);
		assertThat(this.chords.addChordPart("again", 0, success("a", 1))).isNull();
		assertThat(this.chords.addChordPart("again", 1, success("b", 2))).hasSize(2);
		assertThat(this.chords.addChordPart("again", 1, success("b", 2))).isNull();
	}

	@Test
	void neverCompletesWithoutASizeCountsAnIdenticalPartOnceAndForgetsADeletedChord() {
		assertThat(this.chords.addChordPart("g", 0, success("a", 1))).isNull();
		this.chords.setChordSize("g", 2);
		assertThat(this.chords.addChordPart("g", 0, success("a", 1))).isNull();
		assertThat(this.chords.addChordPart("g", 1, success("b", 2))).hasSize(2);
		this.chords.deleteChord("g");
		assertThat(this.chords.addChordPart("g", 2, success("c", 3))).isNull();
	}

	@Test
	void keepsPartsAsTheSerializerWritesThem() {
		CanvasStore msgpack = new InMemoryResultBackend(new JsonResultMetaCodec(Serializer.MSGPACK),
				Duration.ofMinutes(10), this.clock)
			.canvasStore();
		msgpack.setChordSize("g", 2);
		msgpack.addChordPart("g", 1, new ChordPart("bad", CeleryStates.FAILURE,
				new ExceptionInfo("ValueError", List.of("boom", 7), "builtins")));
		assertThat(msgpack.addChordPart("g", 0, success("good", List.of(1.5, "x")))).containsExactly(
				success("good", List.of(1.5, "x")), new ChordPart("bad", CeleryStates.FAILURE,
						Map.of("exc_type", "ValueError", "exc_message", List.of("boom", 7), "exc_module", "builtins")));
		assertThatExceptionOfType(MessageEncodingException.class)
			.isThrownBy(() -> msgpack.addChordPart("g", 2, success("odd", new Object())));
	}

	@Test
	void expiresAChordUnchangedForLongerThanResults() {
		this.chords.setChordSize("g", 2);
		this.chords.addChordPart("g", 0, success("a", 1));
		this.clock.advance(Duration.ofMinutes(11));
		assertThat(this.chords.addChordPart("g", 1, success("b", 2))).isNull();
	}

	@Test
	void savesRestoresAndForgetsGroupsWithNestedOnes() {
		List<Object> tuple = group("g", task("t1"), group("inner", task("t2")));
		this.chords.saveGroup("g", tuple);
		assertThat(this.chords.restoreGroup("g")).isEqualTo(tuple);
		this.chords.forgetGroup("g");
		assertThat(this.chords.restoreGroup("g")).isNull();
		this.chords.saveGroup("g", tuple);
		this.clock.advance(Duration.ofMinutes(11));
		assertThat(this.chords.restoreGroup("g")).isNull();
	}

	@Test
	void refusesGroupTuplesOfAnotherShapeOrGroup() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.chords.saveGroup("g", task("t1")))
			.withMessageContaining("must be [[group_id, parent], [member tuples]]");
		assertThatIllegalArgumentException().isThrownBy(() -> this.chords.saveGroup("g", group("h", task("t1"))))
			.withMessageContaining("is the tuple of group h");
	}

	private static ChordPart success(String taskId, Object result) {
		return new ChordPart(taskId, CeleryStates.SUCCESS, result);
	}

	private static List<Object> task(String taskId) {
		return Arrays.asList(Arrays.asList(taskId, null), null);
	}

	private static List<Object> group(String groupId, List<?>... members) {
		return Arrays.asList(Arrays.asList(groupId, null), List.of(members));
	}

}
