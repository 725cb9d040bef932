package dev.taskqueue.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.worker.WorkerContainer;

/**
 * Measures, through the auto-configured {@code TaskTemplate} and worker: the publish rate of
 * N no-op tasks from several threads, the drain rate of those N tasks by a worker started after
 * they were queued, and the round-trip latency of {@code add(1, 2).get()}. Prints one
 * {@code RESULT} line per measurement.
 * <p>
 * The JVM is warmed up first with the same work (WARMUP tasks published and drained, and
 * round trips), since a service runs warm; Python has no JIT to warm. With CALLS 0 the latency
 * is not measured. {@code taskqueue.*} system properties tune the worker, such as
 * {@code -Dtaskqueue.worker.prefetch-multiplier=64}.
 * <p>
 * Usage: {@code java -jar taskqueue-benchmarks.jar BROKER_URL BACKEND_URL [N] [PUBLISHERS] [CALLS] [WARMUP]}
 */
@SpringBootApplication
public class Benchmark {

	public static void main(String[] args) throws Exception {
		String broker = (args.length > 0) ? args[0] : "redis://127.0.0.1:6379/0";
		String backend = (args.length > 1) ? args[1] : "redis://127.0.0.1:6379/1";
		int n = (args.length > 2) ? Integer.parseInt(args[2]) : 20_000;
		int publishers = (args.length > 3) ? Integer.parseInt(args[3]) : 8;
		int calls = (args.length > 4) ? Integer.parseInt(args[4]) : 1000;
		int warmup = (args.length > 5) ? Integer.parseInt(args[5]) : 20_000;
		String queue = "bench-" + UUID.randomUUID().toString().substring(0, 8);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Benchmark.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--taskqueue.broker.url=" + broker, "--taskqueue.backend.url=" + backend,
					"--taskqueue.default-queue=" + queue, "--taskqueue.worker.queues=" + queue,
					"--taskqueue.worker.auto-startup=false", "--logging.level.root=warn",
					"--spring.main.banner-mode=off")) {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			BenchTasks counter = context.getBean(BenchTasks.class);
			WorkerContainer worker = context.getBean(WorkerContainer.class);
			String label = "impl=java broker=" + scheme(broker) + " jvm=" + Runtime.version().feature();
			warmUp(tasks, counter, worker, warmup, publishers);
			long started = System.nanoTime();
			publish(tasks, n, publishers);
			double publishSecs = seconds(started);
			print("publish %s n=%d publishers=%d secs=%.3f rate=%.0f msg/s", label, n, publishers, publishSecs,
					n / publishSecs);
			counter.expect(n);
			long drainStart = System.nanoTime();
			worker.start();
			counter.awaitDone();
			double drainSecs = seconds(drainStart);
			print("drain %s c=%d prefetch=%d n=%d drain_secs=%.3f rate=%.0f tasks/s", label,
					worker.settings().concurrency(),
					worker.settings().concurrency() * worker.settings().prefetchMultiplier(), n, drainSecs,
					n / drainSecs);
			if (calls > 0) {
				latency(tasks, label, calls);
			}
		}
	}

	private static void warmUp(TaskOperations tasks, BenchTasks counter, WorkerContainer worker, int n,
			int publishers) throws Exception {
		publish(tasks, n, publishers);
		counter.expect(n);
		worker.start();
		counter.awaitDone();
		for (int i = 0; i < Math.min(n / 10, 2000); i++) {
			tasks.send("bench.add", 1, 2).get(Duration.ofSeconds(10));
		}
		worker.stop();
	}

	private static void publish(TaskOperations tasks, int n, int publishers) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(publishers);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int p = 0; p < publishers; p++) {
				int share = n / publishers + ((p < n % publishers) ? 1 : 0);
				futures.add(pool.submit(() -> {
					for (int i = 0; i < share; i++) {
						tasks.send("bench.noop");
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			pool.shutdown();
		}
	}

	private static void latency(TaskOperations tasks, String label, int calls) {
		Duration timeout = Duration.ofSeconds(10);
		for (int i = 0; i < 50; i++) {
			tasks.send("bench.add", 1, 2).get(timeout);
		}
		List<Double> millis = new ArrayList<>(calls);
		for (int i = 0; i < calls; i++) {
			long start = System.nanoTime();
			Object sum = tasks.send("bench.add", 1, 2).get(timeout);
			millis.add((System.nanoTime() - start) / 1e6);
			if (!Long.valueOf(3).equals(((Number) sum).longValue())) {
				throw new IllegalStateException("add(1, 2) returned " + sum);
			}
		}
		Collections.sort(millis);
		print("latency %s n=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f", label, calls, percentile(millis, 50),
				percentile(millis, 90), percentile(millis, 99), millis.get(millis.size() - 1));
	}

	private static double percentile(List<Double> sorted, double p) {
		double k = (sorted.size() - 1) * p / 100.0;
		int f = (int) k;
		int c = Math.min(f + 1, sorted.size() - 1);
		return sorted.get(f) + (sorted.get(c) - sorted.get(f)) * (k - f);
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static String scheme(String url) {
		return url.substring(0, url.indexOf(':'));
	}

	private static void print(String format, Object... args) {
		System.out.println("RESULT " + String.format(Locale.ROOT, format, args));
	}

}
