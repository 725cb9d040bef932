package dev.taskqueue.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

/**
 * Loads the golden Celery captures under {@code src/test/resources/celery-fixtures} and
 * maps kombu's Redis envelope to an {@link EncodedMessage} (the real Redis transport lives
 * elsewhere; this is the minimum the codec tests need).
 */
final class CeleryFixtures {

	static final JsonMapper MAPPER = CeleryJson.newMapper();

	private CeleryFixtures() {
	}

	/** The file names (without folder) of the fixtures in a folder, sorted. */
	static List<String> files(String folder) {
		URL url = CeleryFixtures.class.getResource("/celery-fixtures/" + folder);
		if (url == null) {
			throw new IllegalStateException("No fixture folder " + folder);
		}
		try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
			return files.map((path) -> path.getFileName().toString()).filter((name) -> name.endsWith(".json")).sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Map<String, Object> load(String path) {
		try (InputStream in = CeleryFixtures.class.getResourceAsStream("/celery-fixtures/" + path)) {
			if (in == null) {
				throw new IllegalStateException("No fixture " + path);
			}
			return map(MAPPER.readValue(in, Object.class));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Map kombu's Redis envelope ({@code body}, {@code content-type},
	 * {@code content-encoding}, {@code headers}, {@code properties}) to an encoded message.
	 * @param raw the envelope JSON text exactly as stored in Redis
	 * @return the encoded message
	 */
	static EncodedMessage fromRedisEnvelope(String raw) {
		Map<String, Object> envelope = map(MAPPER.readValue(raw, Object.class));
		Map<String, Object> properties = map(envelope.get("properties"));
		String body = (String) envelope.get("body");
		byte[] bytes = "base64".equals(properties.get("body_encoding")) ? Base64.getDecoder().decode(body)
				: body.getBytes(StandardCharsets.UTF_8);
		MessageProperties messageProperties = new MessageProperties((String) properties.get("correlation_id"),
				(String) properties.get("reply_to"), intOr(properties.get("delivery_mode"), 2),
				intOr(properties.get("priority"), 0), (String) properties.get("expiration"));
		return new EncodedMessage(map(envelope.get("headers")), messageProperties,
				(String) envelope.get("content-type"), (String) envelope.get("content-encoding"), bytes);
	}

	private static int intOr(Object value, int fallback) {
		return (value != null) ? ((Number) value).intValue() : fallback;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (List<Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> maps(Object value) {
		return (List<Map<String, Object>>) value;
	}

}
