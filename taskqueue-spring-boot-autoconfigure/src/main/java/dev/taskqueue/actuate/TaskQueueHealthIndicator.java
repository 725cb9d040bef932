package dev.taskqueue.actuate;

import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.worker.WorkerContainer;

/**
 * {@link org.springframework.boot.health.contributor.HealthIndicator HealthIndicator} for the
 * task queue: UP when the broker answers a ping, the result backend (if any) answers too, and
 * the worker (if any) works: its consumer has not stopped, its pool is not wedged and it is
 * not out of memory ({@link WorkerContainer#problems()}). DOWN otherwise, with details naming
 * what failed: {@code broker}, {@code backend} and {@code worker} errors. Where the transport
 * tells, {@code brokerServer} and {@code backendServer} name the role and address of the server
 * that answered, such as {@code master 127.0.0.1:6380}, which after a Sentinel failover shows
 * which server the connection follows. The broker and
 * backend URLs are reported with their passwords masked, which are also masked in error
 * messages, should a transport put a URL there.
 */
public class TaskQueueHealthIndicator extends AbstractHealthIndicator {

	private static final Log logger = LogFactory.getLog(TaskQueueHealthIndicator.class);

	private static final Pattern URL_PASSWORD = Pattern
		.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*):\\S*@");

	private final Broker broker;

	private final @Nullable ResultBackend backend;

	private final @Nullable WorkerContainer worker;

	/**
	 * Create an indicator for the broker only.
	 * @param broker the broker to ping
	 */
	public TaskQueueHealthIndicator(Broker broker) {
		this(broker, null, null);
	}

	/**
	 * Create an indicator.
	 * @param broker the broker to ping
	 * @param backend the result backend to ping, or {@code null}
	 * @param worker the worker to check, or {@code null} when the application runs none
	 */
	public TaskQueueHealthIndicator(Broker broker, @Nullable ResultBackend backend, @Nullable WorkerContainer worker) {
		super("Task queue health check failed");
		Assert.notNull(broker, "'broker' must not be null");
		this.broker = broker;
		this.backend = backend;
		this.worker = worker;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up().withDetail("broker", mask(this.broker.url()));
		check(builder, "broker", "error", "brokerServer", this.broker::pingServer);
		if (this.backend != null) {
			builder.withDetail("backend", mask(this.backend.url()));
			check(builder, "backend", "backendError", "backendServer", this.backend::pingServer);
		}
		if (this.worker != null && this.worker.isRunning()) {
			List<String> problems = this.worker.problems();
			if (!problems.isEmpty()) {
				logger.warn("Task queue worker " + this.worker.hostname() + " is down: " + problems);
				builder.down().withDetail("workerError", problems);
			}
		}
	}

	private void check(Health.Builder builder, String part, String errorDetail, String serverDetail,
			Supplier<@Nullable String> ping) {
		try {
			String server = ping.get();
			if (server != null) {
				builder.withDetail(serverDetail, server);
			}
		}
		catch (RuntimeException ex) {
			String error = ex.getClass().getName() + ": " + mask(ex.getMessage());
			logger.warn("Task queue " + part + " is down: " + error);
			builder.down().withDetail(errorDetail, error);
		}
	}

	/**
	 * Replace the password of every URL in the given text with {@code **}.
	 * @param text the text, such as an exception message
	 * @return the text with passwords masked
	 */
	static String mask(@Nullable String text) {
		if (text == null) {
			return "";
		}
		Matcher matcher = URL_PASSWORD.matcher(text);
		return matcher.replaceAll((match) -> Matcher.quoteReplacement(match.group(1) + ":**@"));
	}

}
