package dev.taskqueue.interop;

import java.util.HashMap;
import java.util.Map;

/**
 * A broker and result backend pair both sides of an interop test use.
 *
 * @param broker the broker URL
 * @param backend the result backend URL
 */
record Stack(String broker, String backend) {

	static final String AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//";

	/** Redis broker (DB 10) with the Redis result backend (DB 11). */
	static final Stack REDIS = new Stack(Interop.BROKER, Interop.BACKEND);

	/** RabbitMQ with Celery's rpc:// backend. */
	static final Stack AMQP_RPC = new Stack(AMQP_URL, "rpc://");

	/** RabbitMQ with the Redis result backend (DB 11). */
	static final Stack AMQP_REDIS = new Stack(AMQP_URL, Interop.BACKEND);

	/** The INTEROP_* environment of the Python side. */
	Map<String, String> pythonEnv(String queue, String... extra) {
		Map<String, String> env = new HashMap<>();
		env.put("INTEROP_BROKER", this.broker);
		env.put("INTEROP_BACKEND", this.backend);
		env.put("INTEROP_RECORD_URL", Interop.RECORDS);
		env.put("INTEROP_QUEUE", queue);
		for (int i = 0; i < extra.length; i += 2) {
			env.put(extra[i], extra[i + 1]);
		}
		return env;
	}

	/** Spring properties of a Java sample app on this stack and queue. */
	String[] javaProperties(String queue, String... extra) {
		String[] base = { "taskqueue.broker.url=" + this.broker, "taskqueue.backend.url=" + this.backend,
				"taskqueue.default-queue=" + queue, "taskqueue.worker.queues=" + queue };
		String[] all = new String[base.length + extra.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(extra, 0, all, base.length, extra.length);
		return all;
	}

}
