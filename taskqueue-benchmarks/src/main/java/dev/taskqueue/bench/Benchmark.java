package dev.taskqueue.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.worker.WorkerContainer;

/**
 * Measures, through the auto-configured {@code TaskTemplate} and worker, in one JVM: the
 * publish rate of N no-op tasks with {@code send} from several threads ({@code publish}) and
 * from one ({@code publish_1}), with {@code sendAll} in chunks ({@code bulk_sendall}) and with
 * {@code sendAsync} per message ({@code bulk_sendasync}); the drain rate of the first N tasks by
 * a worker started after they were queued ({@code drain}); and the round trip of
 * {@code add(1, 2).get()} with its breakdown ({@code latency}, {@code lat_*}, see
 * {@link RoundTrips}). Each phase also reports the JVM's CPU time, heap peak and collections;
 * {@code jvm} sums up the measured part. Prints one {@code RESULT} line per measurement.
 * <p>
 * The JVM is warmed up first with the same work (WARMUP tasks published and drained, and
 * round trips), since a service runs warm; Python has no JIT to warm. With CALLS 0 the round
 * trip is not measured. With {@code -Dbench.mode=drain} only the drain is measured (its tasks
 * sent with {@code sendAll}). {@code -Dbench.chunk} sets the requests per {@code sendAll} call
 * (1,000). {@code -Dbench.queue} names the queue (by default {@code bench-} and 8 random
 * characters), for the caller to delete it. {@code taskqueue.*} system properties tune the library, such as
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
		int calls = (args.length > 4) ? Integer.parseInt(args[4]) : 10_000;
		int warmup = (args.length > 5) ? Integer.parseInt(args[5]) : 20_000;
		int chunk = Integer.getInteger("bench.chunk", 1000);
		boolean drainOnly = "drain".equals(System.getProperty("bench.mode"));
		String queue = System.getProperty("bench.queue", "bench-" + UUID.randomUUID().toString().substring(0, 8));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Benchmark.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--taskqueue.broker.url=" + broker, "--taskqueue.backend.url=" + backend,
					"--taskqueue.default-queue=" + queue, "--taskqueue.worker.queues=" + queue,
					"--taskqueue.worker.auto-startup=false", "--logging.level.root=warn",
					"--spring.main.banner-mode=off");
				JvmUsage usage = new JvmUsage()) {
			Phases phases = new Phases(context.getBean(TaskOperations.class), context.getBean(BenchTasks.class),
					context.getBean(WorkerContainer.class), usage,
					"impl=java broker=" + scheme(broker) + " jvm=" + Runtime.version().feature(), n);
			phases.warmUp(warmup, publishers, chunk);
			JvmUsage.Mark whole = usage.mark();
			if (drainOnly) {
				phases.publish("bulk_sendall", () -> Publishing.sendAll(phases.tasks(), n, chunk), null);
				phases.drain(true);
				return;
			}
			phases.publish("publish", () -> Publishing.send(phases.tasks(), n, publishers), "publishers=" + publishers);
			if (broker.startsWith("redis")) {
				envelopeSize(broker, queue);
			}
			phases.drain(true);
			phases.publish("publish_1", () -> Publishing.send(phases.tasks(), n, 1), "publishers=1");
			phases.drain(false);
			phases.publish("bulk_sendall", () -> Publishing.sendAll(phases.tasks(), n, chunk), "chunk=" + chunk);
			phases.drain(false);
			phases.publish("bulk_sendasync", () -> Publishing.sendAsync(phases.tasks(), n), "ignore_result=true");
			phases.drain(false);
			if (calls > 0) {
				phases.worker().start();
				RoundTrips.measure(phases.tasks(), context.getBean(TaskTimes.class), usage, phases.label(), calls);
				phases.worker().stop();
			}
			JvmUsage.Usage used = usage.since(whole);
			print("jvm %s heap_max_mb=%.0f heap_peak_overall_mb=%.0f cpu_s=%.3f gc_count=%d gc_ms=%d", phases.label(),
					Runtime.getRuntime().maxMemory() / 1048576.0, usage.overallPeak() / 1048576.0, used.cpuSecs(),
					used.gcCount(), used.gcMillis());
		}
	}

	/**
	 * Print the size of the envelope at the head of the queue, as kombu's Redis transport keeps
	 * it, for redis-benchmark's {@code -d}.
	 * @param broker the broker URL
	 * @param queue the queue
	 */
	private static void envelopeSize(String broker, String queue) {
		RedisClient client = RedisClient.create(broker);
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
			byte[] envelope = connection.sync().lindex(queue.getBytes(StandardCharsets.UTF_8), 0);
			if (envelope != null) {
				print("envelope impl=java broker=redis bytes=%d", envelope.length);
			}
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	// the scheme of a URL: redis, amqp
	private static String scheme(String url) {
		return url.substring(0, url.indexOf(':'));
	}

	/**
	 * Print a RESULT line.
	 * @param format the line after {@code RESULT }, a {@link String#format} pattern
	 * @param args the pattern's arguments
	 */
	static void print(String format, Object... args) {
		System.out.println("RESULT " + String.format(Locale.ROOT, format, args));
	}

}
