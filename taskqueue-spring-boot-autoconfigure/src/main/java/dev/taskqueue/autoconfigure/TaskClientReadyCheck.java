package dev.taskqueue.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import dev.taskqueue.client.TaskClientVerifier;

/**
 * Verifies the task clients against the live workers once the application is ready, on a
 * thread of its own so that start-up does not wait for the workers' replies.
 */
final class TaskClientReadyCheck implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(TaskClientReadyCheck.class);

	private final @Nullable TaskClientVerifier verifier;

	TaskClientReadyCheck(@Nullable TaskClientVerifier verifier) {
		this.verifier = verifier;
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
		Thread thread = new Thread(() -> {
			try {
				clients.verify();
			}
			catch (RuntimeException | Error ex) {
				logger.warn("Task client verification failed", ex);
			}
		}, "taskqueue-client-verify");
		thread.setDaemon(true);
		thread.start();
	}

}
