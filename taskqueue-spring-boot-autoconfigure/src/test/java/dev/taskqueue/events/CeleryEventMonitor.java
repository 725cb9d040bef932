package dev.taskqueue.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.testsupport.TestProcesses;


/**
 * Celery 5.2.6 itself ({@code /usr/bin/python3}) watching a broker's events as
 * {@code celery events} and Flower do: its {@code EventReceiver} feeds
 * {@code celery.events.state.State} until a worker has sent a heartbeat and one of its tasks
 * succeeded, then the worker and that task are reported as JSON. For the interop tests of the
 * broadcast transports.
 */
public final class CeleryEventMonitor {

	/** The Python interpreter with Celery. */
	public static final String PYTHON = "/usr/bin/python3";

	private static final String SCRIPT = """
			import json, sys
			from celery import Celery
			URL, PREFIX, EXCHANGE, NODE = sys.argv[1:5]
			app = Celery('interop', broker=URL)
			if PREFIX:
			    app.conf.broker_transport_options = {'global_keyprefix': PREFIX}
			app.conf.event_exchange = EXCHANGE
			app.conf.control_exchange = EXCHANGE + '-ctl'
			state = app.events.State()
			def on_event(event):
			    state.event(event)
			    worker = state.workers.get(NODE)
			    done = [t for t in state.tasks.values() if t.state == 'SUCCESS' and t.worker is worker]
			    if worker is not None and worker.loadavg and done:
			        receiver.should_stop = True
			with app.connection_for_read() as conn:
			    receiver = app.events.Receiver(conn, handlers={'*': on_event}, queue_prefix=EXCHANGE + '.py')
			    receiver.capture(timeout=30, wakeup=False)
			worker = state.workers[NODE]
			task = [t for t in state.tasks.values() if t.state == 'SUCCESS'][0]
			print(json.dumps({'alive': worker.alive, 'freq': worker.freq, 'active': worker.active,
			                  'processed': worker.processed, 'sw_ident': worker.sw_ident,
			                  'loadavg': list(worker.loadavg),
			                  'task': {'uuid': task.uuid, 'state': task.state, 'name': task.name,
			                           'args': task.args, 'result': task.result, 'runtime': task.runtime,
			                           'worker': task.worker.hostname}}))
			""";

	private CeleryEventMonitor() {
	}

	/**
	 * Whether Python with Celery and the clients of both brokers is installed.
	 * @return {@code true} when it is
	 */
	public static boolean available() {
		return TestProcesses.succeeds(Duration.ofSeconds(30), PYTHON, "-c", "import celery, kombu, redis, amqp");
	}

	/**
	 * Watch the events until the node has sent a heartbeat and a task of it succeeded, doing
	 * something every 200 ms meanwhile (the receiver subscribes only once it consumes, so what
	 * is sent before may be missed).
	 * @param brokerUrl the broker URL for Celery
	 * @param keyPrefix kombu's {@code global_keyprefix} on Redis, or {@code ""}
	 * @param exchange the events exchange ({@code event_exchange})
	 * @param node the worker's node name
	 * @param meanwhile what to do every 200 ms
	 * @return the worker ({@code alive}, {@code freq}, {@code active}, {@code processed},
	 * {@code sw_ident}, {@code loadavg}) and {@code task} ({@code uuid}, {@code state},
	 * {@code name}, {@code args}, {@code result}, {@code runtime}, {@code worker}) as Celery's
	 * state has them
	 */
	public static Map<String, Object> watch(String brokerUrl, String keyPrefix, String exchange, String node,
			Runnable meanwhile) {
		String last = TestProcesses.pythonWhile(SCRIPT, List.of(brokerUrl, keyPrefix, exchange, node), meanwhile);
		return EventFixtures.map(CeleryJson.newMapper().readValue(last, Object.class));
	}

}
