package dev.taskqueue.soak;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.soak.SoakLedger.Execution;

import static org.awaitility.Awaitility.await;

/**
 * One soak on one broker: workers in JVMs of their own, producers sending numbered tasks at a
 * steady rate, faults at set times, and at the end the accounting of what was sent against
 * what the ledger says ran.
 */
final class SoakRun {

	private static final int PRODUCERS = 2;

	private static final int WORKERS = 2;

	// How long after a run its acknowledgement may still be in flight.
	private static final Duration ACK_WINDOW = Duration.ofSeconds(3);

	private final String broker;

	private final Path dir;

	private final List<String> properties;

	private final String ledgerKey;

	private final List<SoakWorkerProcess> workers = new ArrayList<>();

	private final int[] generations = new int[WORKERS];

	private final Map<String, Long> killed = new ConcurrentHashMap<>();

	private final List<String> timeline = Collections.synchronizedList(new ArrayList<>());

	private final List<Window> connectionFaults = Collections.synchronizedList(new ArrayList<>());

	private final Map<Integer, Long> sent = new ConcurrentSkipListMap<>();

	private final Map<Integer, String> taskIds = new ConcurrentHashMap<>();

	private final Map<Integer, String> sendFailures = new ConcurrentSkipListMap<>();

	private final AtomicInteger numbers = new AtomicInteger();

	private long start;

	/**
	 * Prepare a soak.
	 * @param broker the broker's name in the accounting
	 * @param dir where the workers' logs go
	 * @param properties the Spring properties of the workers and the producers
	 */
	SoakRun(String broker, Path dir, List<String> properties) {
		this.broker = broker;
		this.dir = dir;
		this.properties = properties;
		this.ledgerKey = "tq-soak:" + broker + ":" + UUID.randomUUID();
	}

	/**
	 * The worker properties with which the producers send.
	 * @return the properties
	 */
	List<String> properties() {
		return this.properties;
	}

	/** Start the workers and wait until they consume. */
	void startWorkers() {
		for (int i = 0; i < WORKERS; i++) {
			this.workers.add(startWorker(i));
		}
		this.workers.forEach(SoakWorkerProcess::awaitReady);
	}

	/**
	 * Kill a worker with SIGKILL and start its next incarnation.
	 * @param index which worker, from 0
	 * @return what was done, for the timeline
	 */
	String killWorker(int index) {
		SoakWorkerProcess worker = this.workers.get(index);
		this.killed.put(worker.incarnation(), elapsed());
		worker.kill();
		SoakWorkerProcess next = startWorker(index).awaitReady();
		this.workers.set(index, next);
		return "killed " + worker.incarnation() + " (SIGKILL), " + next.incarnation() + " consuming";
	}

	/**
	 * Send, fault and count.
	 * @param tasks the producers' task operations
	 * @param sendFor how long the producers send
	 * @param perSecond how many tasks they send per second, together
	 * @param drain how long the workers may take to run every task sent once the producers stopped
	 * @param settle how long the ledger must stay still before it is read for good
	 * @param faults what to do, and when, while the producers send
	 * @param brokerState what the broker holds at the end (queue lengths), for the report
	 * @return the accounting
	 */
	Accounting run(TaskOperations tasks, Duration sendFor, int perSecond, Duration drain, Duration settle,
			List<Fault> faults, Supplier<String> brokerState) throws InterruptedException {
		this.start = System.currentTimeMillis();
		long end = this.start + sendFor.toMillis();
		long interval = 1000L * PRODUCERS / perSecond;
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			long offset = p * interval / PRODUCERS;
			Thread producer = new Thread(() -> produce(tasks, end, interval, offset), "soak-producer-" + p);
			producer.start();
			producers.add(producer);
		}
		for (Fault fault : faults) {
			long due = this.start + fault.at().toMillis();
			pace(due);
			long from = elapsed();
			note("fault: " + fault.name());
			note("  done: " + fault.action().get());
			if (fault.closesConnections()) {
				this.connectionFaults.add(new Window(fault.name(), from, elapsed()));
			}
		}
		for (Thread producer : producers) {
			producer.join();
		}
		note("producers stopped after " + this.sent.size() + " tasks sent, " + this.sendFailures.size()
				+ " sends failed");
		try (SoakLedger ledger = new SoakLedger(this.ledgerKey)) {
			try {
				await().atMost(drain)
					.pollInterval(Duration.ofMillis(500))
					.until(() -> executedNumbers(ledger.executions()).containsAll(this.sent.keySet()));
				note("every task sent ran at least once");
			}
			catch (ConditionTimeoutException ex) {
				note("some tasks sent did not run within " + drain);
			}
			awaitStill(ledger, settle);
			note("broker holds " + brokerState.get());
			List<Execution> executions = ledger.executions();
			ledger.delete();
			return new Accounting(executions);
		}
		finally {
			this.workers.forEach(SoakWorkerProcess::stop);
		}
	}

	/** The timeline of the run, one line per event. */
	List<String> timeline() {
		return List.copyOf(this.timeline);
	}

	// One producer: the next number at each tick, until the end.
	private void produce(TaskOperations tasks, long end, long interval, long offset) {
		for (long due = this.start + offset; due < end; due += interval) {
			pace(due);
			int number = this.numbers.incrementAndGet();
			try {
				String id = tasks.send(SoakWorker.TASK, number).id();
				this.sent.put(number, elapsed());
				this.taskIds.put(number, id);
			}
			catch (RuntimeException ex) {
				this.sendFailures.put(number, "+" + seconds(elapsed()) + " " + ex);
			}
		}
	}

	// Wait until the ledger did not grow for the settle time.
	private void awaitStill(SoakLedger ledger, Duration settle) {
		AtomicInteger size = new AtomicInteger(-1);
		AtomicLong since = new AtomicLong(System.currentTimeMillis());
		await().atMost(settle.multipliedBy(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
			int now = ledger.executions().size();
			if (size.getAndSet(now) != now) {
				since.set(System.currentTimeMillis());
			}
			return System.currentTimeMillis() - since.get() >= settle.toMillis();
		});
	}

	// Start the next incarnation of a worker, without waiting for it.
	private SoakWorkerProcess startWorker(int index) {
		this.generations[index]++;
		String incarnation = this.broker + "-w" + (index + 1) + "." + this.generations[index];
		return SoakWorkerProcess.start(incarnation, this.ledgerKey, this.dir, this.properties);
	}

	// Write an event down in the timeline, and print it.
	private void note(String event) {
		String line = "+" + seconds(elapsed()) + "s " + event;
		this.timeline.add(line);
		System.out.println("SOAK " + this.broker + " " + line);
	}

	// Milliseconds since the producers started.
	private long elapsed() {
		return System.currentTimeMillis() - this.start;
	}

	// Wait until a time, to keep a rate (not a wait for a condition).
	private static void pace(long due) {
		long wait = due - System.currentTimeMillis();
		if (wait > 0) {
			try {
				TimeUnit.MILLISECONDS.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	// Seconds with one decimal.
	private static String seconds(long millis) {
		return String.format("%.1f", millis / 1000.0);
	}

	// The distinct numbers of the executions.
	private static Set<Integer> executedNumbers(List<Execution> executions) {
		return executions.stream().map(Execution::number).collect(Collectors.toSet());
	}

	/**
	 * Something done to the brokers or workers while the producers send.
	 *
	 * @param at when, counted from the start of sending
	 * @param name what, for the timeline
	 * @param closesConnections whether it closes the connections of the producers and
	 * workers (a flap, a failover), so that acknowledgements in flight may not get through
	 * @param action the fault, returning what it did
	 */
	record Fault(Duration at, String name, boolean closesConnections, Supplier<String> action) {

	}

	/**
	 * When a fault that closes connections ran, in milliseconds since the producers started.
	 *
	 * @param name the fault
	 * @param from when it started
	 * @param to when it was over
	 */
	private record Window(String name, long from, long to) {

	}

	/** What was sent against what ran. */
	final class Accounting {

		private final Map<Integer, List<Execution>> byNumber = new TreeMap<>();

		private Accounting(List<Execution> executions) {
			for (Execution execution : executions) {
				this.byNumber.computeIfAbsent(execution.number(), (n) -> new ArrayList<>()).add(execution);
			}
		}

		/** Numbers whose send returned. */
		int sent() {
			return SoakRun.this.sent.size();
		}

		/** Numbers sent that ran at least once. */
		int executed() {
			return (int) SoakRun.this.sent.keySet().stream().filter(this.byNumber::containsKey).count();
		}

		/** Numbers sent that never ran. */
		List<Integer> lost() {
			return SoakRun.this.sent.keySet().stream().filter((n) -> !this.byNumber.containsKey(n)).toList();
		}

		/** Numbers that ran more than once. */
		List<Integer> duplicates() {
			return this.byNumber.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().size() > 1)
				.map(Map.Entry::getKey)
				.toList();
		}

		/** Numbers that ran and were neither sent nor failed to send. */
		List<Integer> unknown() {
			return this.byNumber.keySet()
				.stream()
				.filter((n) -> !SoakRun.this.sent.containsKey(n) && !SoakRun.this.sendFailures.containsKey(n))
				.toList();
		}

		/** Duplicates explained neither by the death of a worker nor by closed connections. */
		List<Integer> unexplained() {
			return duplicates().stream().filter((n) -> explanation(n) == null).toList();
		}

		/** The one-line summary. */
		String summary() {
			long executions = this.byNumber.values().stream().mapToInt(List::size).sum();
			long failedButRan = SoakRun.this.sendFailures.keySet().stream().filter(this.byNumber::containsKey).count();
			return "SOAK " + SoakRun.this.broker + ": sent=" + sent() + " executed=" + executed() + " duplicates="
					+ duplicates().size() + " lost=" + lost().size() + " (executions=" + executions
					+ ", duplicates unexplained=" + unexplained().size()
					+ ", sends failed=" + SoakRun.this.sendFailures.size() + " of which ran=" + failedButRan
					+ ", unknown numbers=" + unknown().size() + ")";
		}

		/** The details: timeline, duplicates with who ran them, lost and failed sends. */
		List<String> details() {
			List<String> lines = new ArrayList<>();
			SoakRun.this.timeline.forEach((line) -> lines.add("  timeline " + line));
			for (int number : duplicates()) {
				String runs = this.byNumber.get(number)
					.stream()
					.map((e) -> e.incarnation() + " at +" + seconds(e.at() - SoakRun.this.start) + "s")
					.collect(Collectors.joining(", "));
				String why = explanation(number);
				lines.add("  duplicate " + number + " (task " + SoakRun.this.taskIds.get(number) + ", sent at +"
						+ seconds(SoakRun.this.sent.getOrDefault(number, -1L)) + "s): ran by " + runs
						+ ((why != null) ? "; " + why : "; NOT explained by a killed worker nor a connection fault"));
			}
			for (int number : lost()) {
				String id = SoakRun.this.taskIds.get(number);
				long at = SoakRun.this.sent.get(number);
				lines.add("  lost " + number + " sent at +" + seconds(at) + "s" + afterKill(at) + " as task " + id
						+ ", in the worker logs: " + logLines(id));
			}
			SoakRun.this.sendFailures
				.forEach((number, failure) -> lines.add("  send failed " + number + " " + failure));
			lines.add("  worker logs in " + SoakRun.this.dir);
			return lines;
		}

		// Which worker was killed shortly before a send, if one was.
		private String afterKill(long sentAt) {
			return SoakRun.this.killed.entrySet()
				.stream()
				.filter((kill) -> sentAt >= kill.getValue() && sentAt - kill.getValue() <= 1000)
				.map((kill) -> ", " + (sentAt - kill.getValue()) + " ms after the SIGKILL of " + kill.getKey())
				.collect(Collectors.joining());
		}

		// The lines of the workers' logs that name a task, or "none".
		private String logLines(String id) {
			List<String> found = new ArrayList<>();
			try (DirectoryStream<Path> logs = Files.newDirectoryStream(SoakRun.this.dir, "*.log")) {
				for (Path log : logs) {
					Files.readAllLines(log)
						.stream()
						.filter((line) -> line.contains(id))
						.forEach((line) -> found.add(log.getFileName() + ": " + line));
				}
			}
			catch (IOException ex) {
				found.add(ex.toString());
			}
			return found.isEmpty() ? "none" : String.join(" | ", found);
		}

		// A duplicate is explained when a run before the last one was followed within moments
		// by the death of its worker, or by a fault that closed the connections, before its
		// acknowledgement got through.
		private @Nullable String explanation(int number) {
			List<Execution> runs = this.byNumber.get(number);
			for (Execution run : runs.subList(0, runs.size() - 1)) {
				long at = run.at() - SoakRun.this.start;
				Long death = SoakRun.this.killed.get(run.incarnation());
				if (death != null && death - at <= ACK_WINDOW.toMillis()) {
					return run.incarnation() + " was killed at +" + seconds(death) + "s";
				}
				for (Window fault : SoakRun.this.connectionFaults) {
					if (at >= fault.from() - ACK_WINDOW.toMillis() && at <= fault.to() + ACK_WINDOW.toMillis()) {
						return "the run at +" + seconds(at) + "s met '" + fault.name() + "' (+" + seconds(fault.from())
								+ "s to +" + seconds(fault.to()) + "s)";
					}
				}
			}
			return null;
		}

	}

}
