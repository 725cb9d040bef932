package dev.taskqueue.dashboard;

import org.springframework.util.Assert;

/**
 * Where the dashboard is served and whether it acts.
 *
 * @param path the path of the pages, such as {@code /taskqueue}
 * @param apiPath the path of the REST API in Flower's shapes, such as {@code /taskqueue/api}
 * @param readOnly whether every action is refused
 */
public record DashboardSettings(String path, String apiPath, boolean readOnly) {

	public DashboardSettings {
		path = normalise(path, "path");
		apiPath = normalise(apiPath, "apiPath");
		Assert.isTrue(!path.equals(apiPath), "The dashboard's path and API path must differ");
	}

	private static String normalise(String path, String name) {
		Assert.hasText(path, () -> "'" + name + "' must not be empty");
		String trimmed = path.strip();
		while (trimmed.endsWith("/") && trimmed.length() > 1) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		Assert.isTrue(trimmed.startsWith("/") && trimmed.length() > 1,
				() -> "'" + name + "' must start with '/' and name a path, not '" + path + "'");
		return trimmed;
	}

}
