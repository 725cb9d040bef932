package dev.taskqueue.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskRequest;

/**
 * The ways the benchmark publishes N no-op tasks: {@code send} from several threads (each
 * send waits for the broker's confirm or reply), {@code sendAll} in chunks, and
 * {@code sendAsync} per message; the last two then wait for every future.
 */
final class Publishing {

	static final String NOOP = "bench.noop";

	private Publishing() {
	}

	/**
	 * Send N tasks with {@code send}, shared by the given number of threads.
	 * @param tasks the template
	 * @param n the number of tasks
	 * @param threads the publishing threads
	 * @throws Exception when a send fails
	 */
	static void send(TaskOperations tasks, int n, int threads) throws Exception {
		if (threads == 1) {
			for (int i = 0; i < n; i++) {
				tasks.send(NOOP);
			}
			return;
		}
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int p = 0; p < threads; p++) {
				int share = n / threads + ((p < n % threads) ? 1 : 0);
				futures.add(pool.submit(() -> {
					for (int i = 0; i < share; i++) {
						tasks.send(NOOP);
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

	/**
	 * Send N tasks with {@code sendAll}, a chunk of requests per call, then wait for all.
	 * @param tasks the template
	 * @param n the number of tasks
	 * @param chunk the requests per call
	 */
	static void sendAll(TaskOperations tasks, int n, int chunk) {
		List<CompletableFuture<?>> sent = new ArrayList<>(n);
		for (int done = 0; done < n; done += chunk) {
			int size = Math.min(chunk, n - done);
			List<TaskRequest> requests = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				requests.add(tasks.task(NOOP));
			}
			sent.addAll(tasks.sendAll(requests));
		}
		CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).join();
	}

	/**
	 * Send N tasks with {@code ignoreResult(true).sendAsync()} each, then wait for all.
	 * @param tasks the template
	 * @param n the number of tasks
	 */
	static void sendAsync(TaskOperations tasks, int n) {
		List<CompletableFuture<?>> sent = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			sent.add(tasks.task(NOOP).ignoreResult(true).sendAsync());
		}
		CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).join();
	}

}
