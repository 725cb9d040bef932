package dev.taskqueue.backend.memory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.CanvasValues;
import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * The {@link CanvasStore} of {@link InMemoryResultBackend}, with the semantics of Celery's
 * Redis backend: parts are kept serialized, unique by their bytes and ordered by
 * {@code group_index} (then by their bytes, as a Redis sorted set orders equal scores), and
 * the call that makes the count reach the size gets them all. Everything here is guarded by
 * one lock, so exactly one of many concurrent calls completes a chord. Chords and groups
 * expire like results, counted from their last change; a zero expiry keeps them for ever.
 */
final class MemoryChords implements CanvasStore {

	// Redis orders equal scores by the members' bytes, unsigned
	private static final Comparator<Map.Entry<ByteBuffer, Double>> SET_ORDER = Map.Entry
		.<ByteBuffer, Double>comparingByValue()
		.thenComparing((a, b) -> Arrays.compareUnsigned(a.getKey().array(), b.getKey().array()));

	private final Map<String, Chord> chords = new HashMap<>();

	private final Map<String, SavedGroup> groups = new HashMap<>();

	private final ResultMetaCodec codec;

	private final Duration expires;

	private final Clock clock;

	MemoryChords(ResultMetaCodec codec, Duration expires, Clock clock) {
		this.codec = codec;
		this.expires = expires;
		this.clock = clock;
	}

	@Override
	public synchronized void setChordSize(String groupId, int size) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		Assert.isTrue(size >= 0, () -> "The size of chord " + groupId + " must not be negative, not " + size);
		chord(groupId).size = size;
	}

	@Override
	public synchronized @Nullable List<ChordPart> addChordPart(String groupId, @Nullable Integer groupIndex,
			ChordPart part) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		byte[] encoded = this.codec.encodeValue(CanvasValues.partTuple(part));
		Chord chord = chord(groupId);
		chord.parts.put(ByteBuffer.wrap(encoded), (groupIndex != null) ? groupIndex : Double.POSITIVE_INFINITY);
		if (chord.size == null || chord.parts.size() != chord.size) {
			return null;
		}
		// the size goes with the completion, so that a part added again cannot complete it twice
		chord.size = null;
		String where = "chord " + groupId;
		List<ChordPart> all = new ArrayList<>(chord.parts.size());
		chord.parts.entrySet()
			.stream()
			.sorted(SET_ORDER)
			.forEach((entry) -> all.add(CanvasValues.part(this.codec.decodeValue(entry.getKey().array()), where)));
		return all;
	}

	@Override
	public synchronized void deleteChord(String groupId) {
		this.chords.remove(groupId);
	}

	@Override
	public synchronized void saveGroup(String groupId, List<?> resultTuple) {
		CanvasValues.checkGroupTuple(groupId, resultTuple);
		byte[] value = this.codec.encodeValue(CanvasValues.savedGroup(resultTuple));
		this.groups.put(groupId, new SavedGroup(value, expiry()));
	}

	@Override
	public synchronized @Nullable List<Object> restoreGroup(String groupId) {
		SavedGroup saved = this.groups.get(groupId);
		if (saved == null) {
			return null;
		}
		if (saved.isExpired(this.clock.instant())) {
			this.groups.remove(groupId);
			return null;
		}
		return CanvasValues.groupTuple(this.codec.decodeValue(saved.value()), "saved group " + groupId);
	}

	@Override
	public synchronized void forgetGroup(String groupId) {
		this.groups.remove(groupId);
	}

	// the chord, new when there is none or it expired; its expiry starts again
	private Chord chord(String groupId) {
		Instant now = this.clock.instant();
		Chord chord = this.chords.get(groupId);
		if (chord == null || (chord.expiry != null && now.isAfter(chord.expiry))) {
			chord = new Chord();
			this.chords.put(groupId, chord);
		}
		chord.expiry = expiry();
		return chord;
	}

	private @Nullable Instant expiry() {
		return this.expires.isZero() ? null : this.clock.instant().plus(this.expires);
	}

	/** The size and parts of one chord; guarded by the lock of {@link MemoryChords}. */
	private static final class Chord {

		private final Map<ByteBuffer, Double> parts = new HashMap<>();

		private @Nullable Integer size;

		private @Nullable Instant expiry;

	}

	private record SavedGroup(byte[] value, @Nullable Instant expiry) {

		boolean isExpired(Instant now) {
			return this.expiry != null && now.isAfter(this.expiry);
		}

	}

}
