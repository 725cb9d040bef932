package dev.taskqueue.actuate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

import dev.taskqueue.broker.Broker;

/**
 * {@link org.springframework.boot.health.contributor.HealthIndicator HealthIndicator} for the
 * task queue's broker: UP when the broker answers a ping, DOWN otherwise. Both report the
 * broker URL with its password masked; DOWN adds the error. Passwords are also masked in the
 * error message, should a transport put a URL there.
 */
public class TaskQueueHealthIndicator extends AbstractHealthIndicator {

	private static final Log logger = LogFactory.getLog(TaskQueueHealthIndicator.class);

	private static final Pattern URL_PASSWORD = Pattern
		.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*):\\S*@");

	private final Broker broker;

	/**
	 * Create an indicator.
	 * @param broker the broker to ping
	 */
	public TaskQueueHealthIndicator(Broker broker) {
		super("Task queue broker health check failed");
		Assert.notNull(broker, "'broker' must not be null");
		this.broker = broker;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		String url = mask(this.broker.url());
		try {
			this.broker.ping();
		}
		catch (RuntimeException ex) {
			String error = ex.getClass().getName() + ": " + mask(ex.getMessage());
			logger.warn("Task queue broker " + url + " is down: " + error);
			builder.down().withDetail("broker", url).withDetail("error", error);
			return;
		}
		builder.up().withDetail("broker", url);
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
