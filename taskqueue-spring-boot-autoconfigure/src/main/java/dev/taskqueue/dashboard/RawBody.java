package dev.taskqueue.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The body of a request to Flower's API, read as Flower reads it: as JSON whatever its
 * content type, since {@code curl -d '{"args": [1, 2]}'} sends it as a form. At most
 * {@value #MAX_SIZE} bytes are read.
 */
final class RawBody {

	static final int MAX_SIZE = 4 * 1024 * 1024;

	private static final String FORM = "application/x-www-form-urlencoded";

	private RawBody() {
	}

	static @Nullable String read(HttpServletRequest request) {
		byte[] bytes;
		try (InputStream body = request.getInputStream()) {
			bytes = body.readNBytes(MAX_SIZE + 1);
		}
		catch (IOException | IllegalStateException ex) {
			throw new IllegalArgumentException("The request body cannot be read: " + ex.getMessage());
		}
		if (bytes.length > MAX_SIZE) {
			throw new IllegalArgumentException("The request body is larger than " + MAX_SIZE + " bytes");
		}
		return (bytes.length > 0) ? new String(bytes, StandardCharsets.UTF_8) : fromFormParameters(request);
	}

	// a form body the container parsed before (a filter asked for a parameter): put back together
	private static @Nullable String fromFormParameters(HttpServletRequest request) {
		String contentType = request.getContentType();
		if (contentType == null || !contentType.toLowerCase().startsWith(FORM)) {
			return null;
		}
		String queryString = request.getQueryString();
		Set<String> query = (queryString != null)
				? UriComponentsBuilder.fromUriString("?" + queryString).build().getQueryParams().keySet() : Set.of();
		StringBuilder body = new StringBuilder();
		request.getParameterMap().forEach((name, values) -> {
			if (!query.contains(name)) {
				for (String value : values) {
					body.append(body.isEmpty() ? "" : "&").append(name).append(value.isEmpty() ? "" : "=" + value);
				}
			}
		});
		return body.isEmpty() ? null : body.toString();
	}

}
