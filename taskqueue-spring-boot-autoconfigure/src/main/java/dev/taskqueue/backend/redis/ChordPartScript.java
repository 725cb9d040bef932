package dev.taskqueue.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * The Lua script that records a chord part the way Celery's {@code RedisBackend}
 * {@code on_chord_part_return} does, in one atomic step: {@code ZADD} the encoded part to
 * {@code .j} with the member's {@code group_index} as score ({@code +inf} when unknown),
 * {@code ZCOUNT} the parts, {@code GET .t} and {@code .s}, and {@code EXPIRE} (or
 * {@code PEXPIRE}) the three keys when results expire. When {@code .s} is set and the count
 * equals {@code .s + .t}, it returns every part ({@code ZRANGE .j 0 -1}), else an empty list.
 * When {@code .s} or {@code .t} hold no integer it fails, as Celery's {@code int()} does.
 * <p>
 * Celery runs the same commands as one pipeline and reads {@code ZRANGE} in a second one; being
 * one script, the count and the parts read are those of the same moment, so of many callers
 * adding distinct parts at once exactly one sees the count reach the size. As in Celery, a part
 * added again with the same bytes does not count twice. Unlike Celery, the completing call
 * deletes {@code .s} in the same step, so that a part added again after the completion (a
 * member run twice: redelivered after its worker died) cannot complete the chord a second
 * time and send its body twice; Python members find no size and do nothing, as Celery does
 * once a chord's keys are gone.
 */
final class ChordPartScript {

	static final String SOURCE = """
			redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
			local count = redis.call('ZCOUNT', KEYS[1], '-inf', '+inf')
			local added = redis.call('GET', KEYS[2])
			local size = redis.call('GET', KEYS[3])
			if ARGV[3] ~= '' then
				redis.call(ARGV[3], KEYS[1], ARGV[4])
				redis.call(ARGV[3], KEYS[2], ARGV[4])
				redis.call(ARGV[3], KEYS[3], ARGV[4])
			end
			if not size or size == '' then
				return {}
			end
			local total = tonumber(size)
			if not total then
				return redis.error_reply('TASKQUEUE ' .. KEYS[3] .. ' holds no chord size but ' .. size)
			end
			local extra = 0
			if added and added ~= '' then
				extra = tonumber(added)
				if not extra then
					return redis.error_reply('TASKQUEUE ' .. KEYS[2] .. ' holds no count but ' .. added)
				end
			end
			if count == total + extra then
				redis.call('DEL', KEYS[3])
				return redis.call('ZRANGE', KEYS[1], 0, -1)
			end
			return {}
			""";

	private static final KeyScript SCRIPT = new KeyScript(SOURCE);

	private static final String ERROR = "TASKQUEUE ";

	private static final byte[] NONE = new byte[0];

	private static final byte[] LAST = ascii("+inf");

	private final byte[] command;

	private final byte[] amount;

	/**
	 * Create the script for an expiry time.
	 * @param expires how long results are kept, zero for ever
	 */
	ChordPartScript(Duration expires) {
		long millis = expires.toMillis();
		boolean seconds = millis % 1000 == 0;
		this.command = (millis == 0) ? NONE : ascii(seconds ? "EXPIRE" : "PEXPIRE");
		this.amount = (millis == 0) ? NONE : ascii(Long.toString(seconds ? millis / 1000 : millis));
	}

	/**
	 * Record a part.
	 * @param connection the connection
	 * @param keys the keys {@code .j}, {@code .t} and {@code .s}
	 * @param encoded the encoded part
	 * @param groupIndex the member's position in the header, or {@code null}
	 * @return the encoded parts in score order when this part completed the chord, else an
	 * empty list
	 */
	List<byte[]> add(RedisConnection connection, byte[][] keys, byte[] encoded, @Nullable Integer groupIndex) {
		byte[] score = (groupIndex != null) ? ascii(groupIndex.toString()) : LAST;
		try {
			List<byte[]> parts = SCRIPT.eval(connection, ReturnType.MULTI, 3, keys[0], keys[1], keys[2], encoded,
					score, this.command, this.amount);
			return (parts != null) ? parts : List.of();
		}
		catch (RuntimeException ex) {
			throw badValue(ex);
		}
	}

	// Spring's exception says only "Error in execution": bring the script's own error forward
	private static RuntimeException badValue(RuntimeException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.startsWith(ERROR)) {
				return new IllegalStateException(message.substring(ERROR.length()), ex);
			}
		}
		return ex;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
