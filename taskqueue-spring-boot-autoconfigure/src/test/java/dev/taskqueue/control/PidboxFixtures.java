package dev.taskqueue.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import dev.taskqueue.protocol.CeleryJson;

/**
 * Loads the captured Celery 5.2.6 remote-control traffic under
 * {@code src/test/resources/celery-fixtures/pidbox}.
 */
final class PidboxFixtures {

	private PidboxFixtures() {
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> load(String path) {
		try (InputStream in = PidboxFixtures.class.getResourceAsStream("/celery-fixtures/pidbox/" + path)) {
			if (in == null) {
				throw new IllegalStateException("No fixture " + path);
			}
			return (Map<String, Object>) CeleryJson.newMapper().readValue(in, Object.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
