package dev.taskqueue.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code broker} object of {@code stats}, kombu's {@code Connection.info()} read from the
 * broker URL: host, user, virtual host, port and transport of the first URL, never the password;
 * for a failover URL listing several nodes separated by {@code ;}, every URL under
 * {@code alternates}, the passwords masked (kombu shows them).
 */
final class BrokerInfo {

	private BrokerInfo() {
	}

	/**
	 * Describe the broker.
	 * @param url the broker URL, the password masked or not: it is never read
	 * @return the broker object, in kombu's key order
	 */
	static Map<String, @Nullable Object> of(String url) {
		List<String> urls = List.of(url.split("[;,]\\s*(?=[a-z0-9+]+://)"));
		String first = urls.get(0);
		int schemeEnd = first.indexOf("://");
		String scheme = (schemeEnd > 0) ? first.substring(0, schemeEnd).toLowerCase(Locale.ROOT) : "";
		String rest = (schemeEnd > 0) ? first.substring(schemeEnd + 3) : first;
		int query = rest.indexOf('?');
		if (query >= 0) {
			rest = rest.substring(0, query);
		}
		int slash = rest.indexOf('/');
		String authority = (slash >= 0) ? rest.substring(0, slash) : rest;
		String path = (slash >= 0) ? rest.substring(slash + 1) : "";
		int at = authority.lastIndexOf('@');
		String userInfo = (at >= 0) ? authority.substring(0, at) : "";
		String hostPort = (at >= 0) ? authority.substring(at + 1) : authority;
		int colon = userInfo.indexOf(':');
		String user = decode((colon >= 0) ? userInfo.substring(0, colon) : userInfo);
		boolean amqp = scheme.startsWith("amqp") || scheme.startsWith("pyamqp");
		boolean ssl = scheme.equals("rediss") || scheme.equals("amqps");
		int portStart = hostPort.startsWith("[") ? hostPort.indexOf("]:") + 1 : hostPort.lastIndexOf(':');
		String host = (portStart > 0) ? hostPort.substring(0, portStart) : hostPort;
		Integer port = (portStart > 0) ? port(hostPort.substring(portStart + 1)) : null;
		if (port == null && amqp) {
			port = ssl ? 5671 : 5672;
		}
		else if (port == null && scheme.startsWith("redis")) {
			port = 6379;
		}
		else if (port == null && scheme.equals("sentinel")) {
			port = 26379;
		}
		String virtualHost = decode(path);
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("hostname", host.isEmpty() ? "localhost" : host);
		info.put("userid", user.isEmpty() ? null : user);
		info.put("virtual_host", virtualHost.isEmpty() ? (amqp ? "/" : "0") : virtualHost);
		info.put("port", port);
		info.put("insist", false);
		info.put("ssl", ssl);
		info.put("transport", amqp ? "amqp" : scheme.startsWith("redis") ? "redis" : scheme);
		info.put("connect_timeout", 4);
		info.put("transport_options", Map.of());
		info.put("login_method", amqp ? "PLAIN" : null);
		info.put("uri_prefix", null);
		info.put("heartbeat", 120.0);
		info.put("failover_strategy", "round-robin");
		// kombu lists every URL of a failover URL, the first included, passwords and all: not these
		info.put("alternates", (urls.size() > 1) ? urls.stream().map(BrokerInfo::masked).toList() : List.of());
		return info;
	}

	// the URL with the password, if any, replaced by ** as the transports show it
	private static String masked(String url) {
		int start = url.indexOf("://") + 3;
		int at = url.lastIndexOf('@');
		int colon = url.indexOf(':', start);
		if (start < 3 || at < start || colon < 0 || colon > at) {
			return url;
		}
		return url.substring(0, colon) + ":**" + url.substring(at);
	}

	private static @Nullable Integer port(String text) {
		try {
			int port = Integer.parseInt(text);
			return (port > 0 && port < 65_536) ? port : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

}
