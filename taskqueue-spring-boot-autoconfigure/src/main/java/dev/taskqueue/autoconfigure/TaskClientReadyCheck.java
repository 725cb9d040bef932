package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import dev.taskqueue.client.TaskClientVerifier;

/**
 * Verifies the task clients against the live workers once the application is ready, and then
 * every {@code taskqueue.client.verify-interval} when one is set, on a thread of its own so
 * that start-up does not wait for the workers' replies.
 */
final class TaskClientReadyCheck implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

	private static final Log logger = LogFactory.getLog(TaskClientReadyCheck.class);

	private final @Nullable TaskClientVerifier verifier;

	private final @Nullable Duration interval;

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "taskqueue-client-verify");
		thread.setDaemon(true);
		return thread;
	});

	TaskClientReadyCheck(@Nullable TaskClientVerifier verifier, @Nullable Duration interval) {
		this.verifier = verifier;
		this.interval = interval;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		TaskClientVerifier clients = this.verifier;
		if (clients == null) {
			logger.warn("taskqueue.client.verify is on, but there is no remote control to ask the workers with"
					+ " (it needs a Redis or RabbitMQ broker and taskqueue.control.enabled=true): task clients"
					+ " not verified");
			return;
		}
		Runnable verification = () -> verify(clients);
		if (this.interval != null) {
			this.executor.scheduleWithFixedDelay(verification, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		}
		else {
			this.executor.execute(verification);
		}
	}

	// a failure must neither end the schedule nor go unseen
	private static void verify(TaskClientVerifier clients) {
		try {
			clients.verify();
		}
		catch (RuntimeException | Error ex) {
			logger.warn("Task client verification failed", ex);
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
