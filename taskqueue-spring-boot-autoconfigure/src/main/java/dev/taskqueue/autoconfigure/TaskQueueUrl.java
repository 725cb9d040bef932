package dev.taskqueue.autoconfigure;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A Celery-style connection URL ({@code memory://}, {@code redis://:secret@host:6379/0},
 * {@code amqp://user:secret@host:5672/vhost}, {@code rpc://}), parsed, and masked for display:
 * the password never leaves this type unmasked except through {@link #password()}.
 *
 * @param scheme the scheme, lower case
 * @param raw the URL as configured
 */
public record TaskQueueUrl(String scheme, String raw) {

	static final Set<String> BROKER_SCHEMES = Set.of("memory", "redis", "rediss", "amqp", "amqps");

	static final Set<String> BACKEND_SCHEMES = Set.of("memory", "redis", "rediss", "rpc");

	/** The in-memory URL used when none is configured. */
	public static final TaskQueueUrl MEMORY = new TaskQueueUrl("memory", "memory://");

	/**
	 * Parse a URL.
	 * @param url the URL, or {@code null} for {@code memory://}
	 * @param property the property it came from, for error messages
	 * @param schemes the schemes accepted there
	 * @return the parsed URL
	 * @throws IllegalArgumentException when the URL is malformed or its scheme not accepted
	 */
	static TaskQueueUrl parse(@Nullable String url, String property, Set<String> schemes) {
		if (url == null || url.isBlank()) {
			return MEMORY;
		}
		int separator = url.indexOf("://");
		if (separator <= 0) {
			throw new IllegalArgumentException(property + " must look like scheme://..., got '" + mask(url) + "'");
		}
		String scheme = url.substring(0, separator).toLowerCase(java.util.Locale.ROOT);
		if (!schemes.contains(scheme)) {
			throw new IllegalArgumentException(property + " has unsupported scheme '" + scheme + "' in '" + mask(url)
					+ "'; supported: " + schemes.stream().sorted().toList());
		}
		return new TaskQueueUrl(scheme, url);
	}

	/** The URL with any password replaced by {@code **}. */
	public String masked() {
		return mask(this.raw);
	}

	/**
	 * The parts of the URL after the scheme, decoded.
	 * @return the user, password, host, port and path
	 */
	Parts parts() {
		String rest = this.raw.substring(this.raw.indexOf("://") + 3);
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
				throw new IllegalArgumentException("Invalid port in URL '" + masked() + "'");
			}
		}
		return new Parts(username.isEmpty() ? null : decode(username), (password != null) ? decode(password) : null,
				host.isEmpty() ? "localhost" : host, port, decode(path));
	}

	private static String decode(String value) {
		return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
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

	@Override
	public String toString() {
		return masked();
	}

	static String mask(String url) {
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

}
