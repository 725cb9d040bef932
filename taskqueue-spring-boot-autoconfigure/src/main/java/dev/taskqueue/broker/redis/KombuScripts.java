package dev.taskqueue.broker.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The Lua scripts of the transport. Each replaces one of kombu's {@code MULTI}/{@code EXEC}
 * (or {@code WATCH}) transactions with the same effect, atomically, in one round trip and
 * without a dedicated connection; the delivery counters
 * ({@link RedisKeys#deliveries(String)}) are this library's own.
 * <p>
 * A counter holds how many times a message came back marked redelivered, less the times a
 * consumer gave it back with a requeue; a message is counted only when it comes back, so a
 * first delivery costs nothing. Every change renews the counter's expiry.
 */
final class KombuScripts {

	/**
	 * Pop up to {@code ARGV[2]} messages from the lists in order and record each in
	 * {@code unacked}/{@code unacked_index} as kombu's {@code QoS.append} does
	 * ({@code ZADD unacked_index <now> <tag>}, {@code HSET unacked <tag>
	 * "[<envelope>, <exchange>, <routing key>]"}), keeping the envelope text byte for byte.
	 * {@code ARGV[3]}/{@code ARGV[4]}: list number and text of a message already popped with
	 * {@code BRPOP} (recorded first), or {@code 0} and {@code ""}.
	 * <p>
	 * Envelopes in the layout kombu and this library write ({@code properties} last,
	 * {@code delivery_tag} its last key, plain exchange and routing key) are read with a
	 * few bounded string searches; anything else is decoded with {@code cjson}. A message
	 * that is not a JSON object with a {@code properties.delivery_tag} is returned but not
	 * recorded (kombu could not record it either). Returns list number, envelope and tag
	 * ({@code ""} when not recorded) for each message.
	 * <p>
	 * An envelope longer than {@code ARGV[5]} bytes is not returned: it goes straight to the
	 * dead-letter list of its queue, as the record {@code Envelopes.deadLetter} writes (time
	 * {@code ARGV[6]}), so that it never crosses the network again; it counts towards
	 * {@code most}.
	 * <p>
	 * KEYS: unacked, unacked_index, lists..., the dead-letter list of each list's queue; ARGV:
	 * now, most, first list, first envelope, largest envelope, now in ISO-8601, queue name per
	 * list.
	 */
	static final LuaScript POP = new LuaScript("""
			local out, n = {}, 0
			local function layout(raw)
			  local size = #raw
			  local _, e = string.find(raw, '"delivery_tag": "', size - 60, true)
			  if not e then return nil end
			  local tag = string.match(raw, '^([%w%-]+)"}}$', e + 1)
			  if not tag then return nil end
			  _, e = string.find(raw, '"delivery_info": {"exchange": "', size - 1000, true)
			  if not e then return nil end
			  local ex, rk = string.match(raw, '^([^"\\]*)", "routing_key": "([^"\\]*)"', e + 1)
			  if not ex then return nil end
			  return tag, '"' .. ex .. '"', '"' .. rk .. '"'
			end
			local function decoded(raw, queue)
			  local ok, env = pcall(cjson.decode, raw)
			  if not ok or type(env) ~= 'table' or type(env['properties']) ~= 'table' then return nil end
			  local props = env['properties']
			  local tag, info, ex, rk = props['delivery_tag'], props['delivery_info'], '', queue
			  if type(tag) ~= 'string' or tag == '' then return nil end
			  if type(info) == 'table' then
			    if type(info['exchange']) == 'string' then ex = info['exchange'] end
			    if type(info['routing_key']) == 'string' then rk = info['routing_key'] end
			  end
			  return tag, cjson.encode(ex), cjson.encode(rk)
			end
			local lists, largest = (#KEYS - 2) / 2, tonumber(ARGV[5])
			local function refuse(i, raw)
			  local reason = 'Message envelope of ' .. #raw .. ' bytes exceeds the limit of ' .. largest
			    .. ' bytes (the worker body size limit, in base64, with 1 MiB for the headers)'
			  redis.call('LPUSH', KEYS[2 + lists + i], '{"queue": ' .. cjson.encode(ARGV[6 + i]) .. ', "reason": '
			    .. cjson.encode(reason) .. ', "time": "' .. ARGV[6] .. '", "envelope": ' .. cjson.encode(raw) .. '}')
			  n = n + 1
			end
			local function record(i, raw)
			  if #raw > largest then return refuse(i, raw) end
			  local tag, ex, rk = layout(raw)
			  if not tag then tag, ex, rk = decoded(raw, ARGV[6 + i]) end
			  if tag then
			    redis.call('ZADD', KEYS[2], ARGV[1], tag)
			    redis.call('HSET', KEYS[1], tag, '[' .. raw .. ', ' .. ex .. ', ' .. rk .. ']')
			  end
			  out[#out + 1] = i
			  out[#out + 1] = raw
			  out[#out + 1] = tag or ''
			  n = n + 1
			end
			local first, most = tonumber(ARGV[3]), tonumber(ARGV[2])
			if first > 0 then record(first, ARGV[4]) end
			for i = 1, lists do
			  while n < most do
			    local raw = redis.call('RPOP', KEYS[i + 2])
			    if not raw then break end
			    record(i, raw)
			  end
			  if n >= most then break end
			end
			return out
			""", ScriptOutputType.MULTI);

	/**
	 * Kombu's ack for many tags at once: {@code ZREM unacked_index} and {@code HDEL unacked}.
	 * KEYS: unacked, unacked_index; ARGV: tags.
	 */
	static final LuaScript ACK = new LuaScript("""
			redis.call('ZREM', KEYS[2], unpack(ARGV))
			redis.call('HDEL', KEYS[1], unpack(ARGV))
			return #ARGV
			""", ScriptOutputType.INTEGER);

	/**
	 * Kombu's {@code restore_by_tag} transaction: {@code HGET}, {@code ZREM}+{@code HDEL},
	 * then {@code RPUSH} of the envelope (marked redelivered by the caller) when the entry
	 * was there. {@code ARGV[3]} is the value the caller read ({@code -1} and nothing done
	 * when it changed since), or {@code *} to restore whatever is there. The optional
	 * {@code ARGV[4]} is the score the entry may have at most ({@code -1} and nothing done
	 * when its consumer renewed it since it was read). Returns 1 when pushed, 0 when the
	 * entry was gone.
	 * <p>
	 * KEYS: unacked, unacked_index, target list; ARGV: tag, envelope ({@code ""} to push
	 * nothing), expected value, highest score.
	 */
	static final LuaScript RESTORE = new LuaScript("""
			local v = redis.call('HGET', KEYS[1], ARGV[1])
			if ARGV[3] ~= '*' and v and v ~= ARGV[3] then return -1 end
			if ARGV[4] then
			  local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
			  if score and tonumber(score) > tonumber(ARGV[4]) then return -1 end
			end
			redis.call('ZREM', KEYS[2], ARGV[1])
			if not v then return 0 end
			redis.call('HDEL', KEYS[1], ARGV[1])
			if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[2]) end
			return 1
			""", ScriptOutputType.INTEGER);

	/**
	 * A consumer gives a message back: kombu's {@code restore_by_tag} as {@link #RESTORE}
	 * does it, and, when the entry was there, the message's delivery counter lowered by one,
	 * so that the redelivery this causes is not counted. Returns 1 when pushed, 0 when the
	 * entry was gone (restored by another consumer, which counts).
	 * <p>
	 * KEYS: unacked, unacked_index, target list, delivery counter; ARGV: tag, envelope
	 * (marked redelivered by the caller), expiry of the counter in milliseconds.
	 */
	static final LuaScript REQUEUE = new LuaScript("""
			local v = redis.call('HGET', KEYS[1], ARGV[1])
			redis.call('ZREM', KEYS[2], ARGV[1])
			if not v then return 0 end
			redis.call('HDEL', KEYS[1], ARGV[1])
			redis.call('RPUSH', KEYS[3], ARGV[2])
			redis.call('DECR', KEYS[4])
			redis.call('PEXPIRE', KEYS[4], ARGV[3])
			return 1
			""", ScriptOutputType.INTEGER);

	/**
	 * Count a delivery of a message marked redelivered: {@code INCR} its delivery counter and
	 * renew its expiry. Returns the counter.
	 * <p>
	 * KEYS: delivery counter; ARGV: expiry in milliseconds.
	 */
	static final LuaScript COUNT_DELIVERY = new LuaScript("""
			local n = redis.call('INCR', KEYS[1])
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return n
			""", ScriptOutputType.INTEGER);

	/**
	 * Remove a tag from the ack-emulation keys and push a dead-letter record.
	 * KEYS: unacked, unacked_index, dead-letter list; ARGV: tag ({@code ""} for none),
	 * record.
	 */
	static final LuaScript DEAD_LETTER = new LuaScript("""
			if ARGV[1] ~= '' then
			  redis.call('ZREM', KEYS[2], ARGV[1])
			  redis.call('HDEL', KEYS[1], ARGV[1])
			end
			return redis.call('LPUSH', KEYS[3], ARGV[2])
			""", ScriptOutputType.INTEGER);

	/**
	 * Move a dead letter back to its queue: remove the record {@code ARGV[1]} from the
	 * dead-letter list {@code KEYS[1]} and, when it was there, {@code LPUSH} the envelope
	 * {@code ARGV[2]} to the queue's list {@code KEYS[2]} (behind the waiting messages).
	 * With the optional {@code KEYS[3]}, the delivery counter of an envelope marked
	 * redelivered, the counter is set to -1 (expiring after {@code ARGV[3]} milliseconds) so
	 * that the message's next delivery counts as its first. Returns 1 when moved, 0 when the
	 * record was gone.
	 */
	static final LuaScript REQUEUE_DEAD_LETTER = new LuaScript("""
			if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
			redis.call('LPUSH', KEYS[2], ARGV[2])
			if KEYS[3] then redis.call('SET', KEYS[3], '-1', 'PX', ARGV[3]) end
			return 1
			""", ScriptOutputType.INTEGER);

	/** redis-py's lock release: delete the lock only if it still holds our token. */
	static final LuaScript UNLOCK = new LuaScript("""
			local token = redis.call('get', KEYS[1])
			if not token or token ~= ARGV[1] then return 0 end
			redis.call('del', KEYS[1])
			return 1
			""", ScriptOutputType.INTEGER);

	private KombuScripts() {
	}

}
