package dev.taskqueue.control;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.worker.WorkerControl;

/**
 * The commands that change what the worker consumes and how many tasks it runs at once:
 * {@code add_consumer}, {@code cancel_consumer}, {@code pool_grow}, {@code pool_shrink} and
 * {@code autoscale}, with Celery 5.2's reply texts. The pool's size changes at once; there is
 * no autoscaler, so {@code autoscale} sets the pool to {@code max} threads.
 */
final class ConsumerCommands {

	/** The most threads the pool may be given by remote control. */
	static final int MAX_CONCURRENCY = 10_000;

	private static final int MAX_QUEUE_NAME = 255;

	private final WorkerControl worker;

	private final QueueDeclarations queues;

	private volatile int autoscaleMin;

	ConsumerCommands(WorkerControl worker, QueueDeclarations queues) {
		this.worker = worker;
		this.queues = queues;
		this.autoscaleMin = worker.settings().concurrency();
	}

	void registerIn(Map<String, ControlCommand> commands) {
		commands.put("add_consumer", this::addConsumer);
		commands.put("cancel_consumer", this::cancelConsumer);
		commands.put("pool_grow", (arguments) -> resize("pool_grow", arguments, 1));
		commands.put("pool_shrink", (arguments) -> resize("pool_shrink", arguments, -1));
		commands.put("autoscale", this::autoscale);
	}

	private Map<String, Object> addConsumer(Map<String, @Nullable Object> arguments) {
		Arguments args = new Arguments("add_consumer", arguments);
		String queue = queueName(args);
		String exchange = args.string("exchange");
		String type = args.string("exchange_type");
		String routingKey = args.string("routing_key");
		ExchangeType exchangeType = exchangeType((type != null) ? type : "direct");
		QueueSpec declared;
		try {
			declared = (exchange != null || routingKey != null) ? new QueueSpec(queue,
					(exchange != null) ? exchange : queue, exchangeType, (routingKey != null) ? routingKey : queue, true,
					null) : null;
		}
		catch (IllegalArgumentException ex) {
			throw new ControlCommandException("ValueError", String.valueOf(ex.getMessage()));
		}
		if (running(() -> this.worker.addQueue(queue)) && declared != null) {
			this.queues.added(declared);
		}
		return PythonText.ok("add consumer " + queue);
	}

	private Map<String, Object> cancelConsumer(Map<String, @Nullable Object> arguments) {
		String queue = queueName(new Arguments("cancel_consumer", arguments));
		running(() -> this.worker.cancelQueue(queue));
		return PythonText.ok("no longer consuming from " + queue);
	}

	private Map<String, Object> resize(String method, Map<String, @Nullable Object> arguments, int sign) {
		Integer n = new Arguments(method, arguments).integer("n");
		int by = (n != null) ? n : 1;
		if (by < 1) {
			throw new ControlCommandException("ValueError", method + "() needs a positive 'n', not " + by);
		}
		int target = this.worker.concurrency() + sign * by;
		if (target < 1) {
			throw new ControlCommandException("ValueError", "Can't shrink pool below one thread");
		}
		setConcurrency(Math.min(target, MAX_CONCURRENCY));
		return PythonText.ok((sign > 0) ? "pool will grow" : "pool will shrink");
	}

	private Map<String, Object> autoscale(Map<String, @Nullable Object> arguments) {
		Arguments args = new Arguments("autoscale", arguments);
		Integer max = args.integer("max");
		Integer min = args.integer("min");
		int newMax = (max != null) ? max : this.worker.concurrency();
		int newMin = (min != null) ? min : Math.min(this.autoscaleMin, newMax);
		if (newMax < 1 || newMax > MAX_CONCURRENCY || newMin < 0 || newMin > newMax) {
			throw new ControlCommandException("ValueError",
					"autoscale needs 0 <= min <= max and 1 <= max <= " + MAX_CONCURRENCY);
		}
		setConcurrency(newMax);
		this.autoscaleMin = newMin;
		return PythonText.ok("autoscale now max=" + newMax + " min=" + newMin);
	}

	private void setConcurrency(int concurrency) {
		running(() -> {
			this.worker.setConcurrency(concurrency);
			return true;
		});
	}

	private static String queueName(Arguments args) {
		String queue = args.requiredString("queue");
		if (queue.isBlank() || queue.length() > MAX_QUEUE_NAME || queue.chars().anyMatch(Character::isISOControl)) {
			throw new ControlCommandException("ValueError", "not a queue name: " + PythonText.repr(queue));
		}
		return queue;
	}

	private static ExchangeType exchangeType(String type) {
		for (ExchangeType candidate : ExchangeType.values()) {
			if (candidate.wireName().equals(type.toLowerCase(Locale.ROOT))) {
				return candidate;
			}
		}
		throw new ControlCommandException("ValueError", "unknown exchange type: " + PythonText.repr(type));
	}

	// runs a change that needs a running worker
	private static boolean running(Supplier<Boolean> change) {
		try {
			return change.get();
		}
		catch (IllegalStateException ex) {
			throw new ControlCommandException("RuntimeError", String.valueOf(ex.getMessage()));
		}
		catch (BrokerException ex) {
			throw new ControlCommandException("OperationalError", String.valueOf(ex.getMessage()));
		}
	}

}
