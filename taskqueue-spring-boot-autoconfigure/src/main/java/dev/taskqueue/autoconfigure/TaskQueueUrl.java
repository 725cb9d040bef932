package dev.taskqueue.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * A Celery-style connection URL ({@code memory://}, {@code redis://:secret@host:6379/0},
 * {@code amqp://user:secret@host:5672/vhost}, {@code rpc://}), parsed, and masked for display:
 * the password never leaves this type unmasked except through {@link #parts()}.
 * <p>
 * As in Celery, several URLs separated by {@code ;} name alternatives of one service: the
 * nodes of a RabbitMQ cluster ({@code amqp://a//;amqp://b//}) or the Sentinels watching a
 * Redis master ({@code sentinel://:secret@s1:26379/0;sentinel://s2:26379}). The first URL
 * gives the scheme, the credentials and the database or virtual host.
 *
 * @param scheme the scheme, lower case
 * @param raw the URL as configured
 */
public record TaskQueueUrl(String scheme, String raw) {

	static final Set<String> BROKER_SCHEMES = Set.of("memory", "redis", "rediss", "sentinel", "amqp", "amqps");

	static final Set<String> BACKEND_SCHEMES = Set.of("memory", "redis", "rediss", "sentinel", "rpc");

	private static final String SEPARATOR = ";";

	// a ';' that starts another URL, so that a password may contain ';'
	private static final Pattern SEPARATOR_PATTERN = Pattern
		.compile(";\\s*(?=[a-zA-Z][a-zA-Z0-9+.-]*://)");

	static final String BROKER_PROPERTY = "taskqueue.broker.url";

	static final String BACKEND_PROPERTY = "taskqueue.backend.url";

	/** The in-memory URL used when none is configured. */
	public static final TaskQueueUrl MEMORY = new TaskQueueUrl("memory", "memory://");

	/**
	 * Parse a broker URL ({@code taskqueue.broker.url} or what a
	 * {@link TaskQueueConnectionDetails} supplies instead).
	 * @param url the URL, or {@code null} for {@code memory://}
	 * @return the parsed URL
	 * @throws InvalidConfigurationPropertyValueException when the URL is malformed
	 */
	static TaskQueueUrl broker(@Nullable String url) {
		return parse(url, BROKER_PROPERTY, BROKER_SCHEMES);
	}

	/**
	 * Parse a result backend URL ({@code taskqueue.backend.url} or what a
	 * {@link TaskQueueConnectionDetails} supplies instead).
	 * @param url the URL, or {@code null} for {@code memory://}
	 * @return the parsed URL
	 * @throws InvalidConfigurationPropertyValueException when the URL is malformed
	 */
	static TaskQueueUrl backend(@Nullable String url) {
		return parse(url, BACKEND_PROPERTY, BACKEND_SCHEMES);
	}

	/**
	 * Parse a URL.
	 * @param url the URL, or {@code null} for {@code memory://}
	 * @param property the property it came from, for error messages
	 * @param schemes the schemes accepted there
	 * @return the parsed URL
	 * @throws InvalidConfigurationPropertyValueException when the URL is malformed, its scheme
	 * not accepted, its port not a number or its Redis database not a number
	 */
	static TaskQueueUrl parse(@Nullable String url, String property, Set<String> schemes) {
		if (url == null || url.isBlank()) {
			return MEMORY;
		}
		List<String> alternates = split(url);
		String scheme = scheme(alternates.get(0), property, url, schemes);
		if (alternates.size() > 1 && !scheme.startsWith("amqp") && !scheme.equals("sentinel")) {
			throw invalid(property, url, "several " + scheme + ":// URLs separated by ';' are not supported: "
					+ "list the nodes of a RabbitMQ cluster as amqp:// URLs, or the Sentinels of a Redis master as "
					+ "sentinel:// URLs");
		}
		for (String alternate : alternates) {
			String other = scheme(alternate, property, url, schemes);
			if (!family(other).equals(family(scheme))) {
				throw invalid(property, url, "it mixes the schemes '" + scheme + "' and '" + other
						+ "': the URLs separated by ';' must name nodes of one service");
			}
			check(new TaskQueueUrl(other, alternate), property, url);
		}
		return new TaskQueueUrl(scheme, url);
	}

	private static List<String> split(String url) {
		List<String> alternates = Arrays.stream(SEPARATOR_PATTERN.split(url)).map(String::trim)
			.filter((alternate) -> !alternate.isEmpty())
			.toList();
		return alternates.isEmpty() ? List.of(url) : alternates;
	}

	private static String scheme(String url, String property, String whole, Set<String> schemes) {
		int separator = url.indexOf("://");
		if (separator <= 0) {
			throw invalid(property, whole, "it must look like scheme://...");
		}
		String scheme = url.substring(0, separator).toLowerCase(Locale.ROOT);
		if (!schemes.contains(scheme)) {
			throw invalid(property, whole, "its scheme '" + scheme + "' is not supported there; supported: "
					+ schemes.stream().sorted().toList());
		}
		return scheme;
	}

	private static String family(String scheme) {
		return scheme.startsWith("amqp") ? "amqp" : scheme;
	}

	private static void check(TaskQueueUrl url, String property, String whole) {
		Parts parts;
		try {
			parts = url.parts();
		}
		catch (IllegalArgumentException ex) {
			throw invalid(property, whole, ex.getMessage());
		}
		boolean redis = url.scheme.startsWith("redis") || url.scheme.equals("sentinel");
		if (redis && !parts.path().isEmpty() && !parts.path().matches("\\d{1,9}")) {
			throw invalid(property, whole, "the Redis database '" + parts.path() + "' is not a number");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, String url, String reason) {
		return new InvalidConfigurationPropertyValueException(property, mask(url), reason);
	}

	/**
	 * Check that this URL names the transport that was chosen for it, which a URL supplied by
	 * a {@link TaskQueueConnectionDetails} bean might not.
	 * @param schemes the schemes of the chosen transport
	 * @return this URL
	 * @throws IllegalStateException when the scheme is another one
	 */
	TaskQueueUrl requireTransport(String... schemes) {
		if (!Set.of(schemes).contains(this.scheme)) {
			throw new IllegalStateException("The URL " + masked() + " does not fit the transport chosen for it ("
					+ String.join(", ", schemes) + "): the transport is chosen by the scheme of the URL property, "
					+ "and a TaskQueueConnectionDetails bean must supply a URL of the same transport");
		}
		return this;
	}

	/**
	 * Return the URL with any password replaced by {@code **}.
	 * @return the masked URL
	 */
	public String masked() {
		return mask(this.raw);
	}

	/**
	 * The URLs this one lists, separated by {@code ;}: itself when it lists one.
	 * @return the alternatives, in the order given
	 */
	List<TaskQueueUrl> alternates() {
		List<String> alternates = split(this.raw);
		if (alternates.size() == 1) {
			return List.of(this);
		}
		return alternates.stream()
			.map((alternate) -> new TaskQueueUrl(
					alternate.substring(0, alternate.indexOf("://")).toLowerCase(Locale.ROOT), alternate))
			.toList();
	}

	/**
	 * The parts of the (first) URL after the scheme, decoded.
	 * @return the user, password, host, port and path
	 */
	Parts parts() {
		String first = split(this.raw).get(0);
		String rest = first.substring(first.indexOf("://") + 3);
		int at = rest.lastIndexOf('@');
		String userInfo = (at >= 0) ? rest.substring(0, at) : "";
		String location = (at >= 0) ? rest.substring(at + 1) : rest;
		int slash = location.indexOf('/');
		String hostPort = (slash >= 0) ? location.substring(0, slash) : location;
		String path = (slash >= 0) ? location.substring(slash + 1) : "";
		int query = path.indexOf('?');
		path = (query >= 0) ? path.substring(0, query) : path;
		int colon = userInfo.indexOf(':');
		String username = (colon >= 0) ? userInfo.substring(0, colon) : userInfo;
		String password = (colon >= 0) ? userInfo.substring(colon + 1) : null;
		boolean bracketed = hostPort.startsWith("[");
		int portSeparator = bracketed ? hostPort.indexOf("]:") + 1 : hostPort.lastIndexOf(':');
		String host = (portSeparator > 0) ? hostPort.substring(0, portSeparator) : hostPort;
		host = bracketed ? host.substring(1, host.indexOf(']')) : host;
		Integer port = null;
		if (portSeparator > 0) {
			try {
				port = Integer.parseInt(hostPort.substring(portSeparator + 1));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("its port '" + hostPort.substring(portSeparator + 1)
						+ "' is not a number");
			}
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("its port " + port + " is not between 1 and 65535");
			}
		}
		return new Parts(username.isEmpty() ? null : decode(username), (password != null) ? decode(password) : null,
				host.isEmpty() ? "localhost" : host, port, decode(path));
	}

	private static String decode(String value) {
		return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return masked();
	}

	static String mask(String url) {
		if (url.contains(SEPARATOR)) {
			return String.join(SEPARATOR,
					Arrays.stream(SEPARATOR_PATTERN.split(url, -1)).map(TaskQueueUrl::maskOne).toList());
		}
		return maskOne(url);
	}

	private static String maskOne(String url) {
		String userInfo = userInfo(url);
		if (userInfo == null || userInfo.indexOf(':') < 0) {
			return url;
		}
		int start = url.indexOf("://") + 3;
		String user = userInfo.substring(0, userInfo.indexOf(':'));
		return url.substring(0, start) + user + ":**" + url.substring(start + userInfo.length());
	}

	private static @Nullable String userInfo(String url) {
		int start = url.indexOf("://");
		if (start < 0) {
			return null;
		}
		start += 3;
		int at = url.lastIndexOf('@');
		if (at < start) {
			return null;
		}
		return url.substring(start, at);
	}

	/**
	 * The decoded parts of a URL after its scheme.
	 *
	 * @param username the user, or {@code null}
	 * @param password the password, or {@code null}
	 * @param host the host, {@code localhost} when empty
	 * @param port the port, or {@code null} for the scheme's default
	 * @param path the path without its leading slash and query: the Redis database or the AMQP
	 * virtual host
	 */
	record Parts(@Nullable String username, @Nullable String password, String host, @Nullable Integer port,
			String path) {

		@Override
		public String toString() {
			return "Parts[host=" + this.host + ", port=" + this.port + ", path=" + this.path + "]";
		}

	}

}
