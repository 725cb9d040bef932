package dev.taskqueue.sample;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * A small HTTP client for the tests: sends JSON as text, reads any status and the body as a
 * JSON tree.
 */
final class HttpJson {

	private final RestClient client;

	private final JsonMapper mapper = JsonMapper.builder().build();

	HttpJson(int port) {
		this.client = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	Response post(String path, @Nullable String json) {
		RestClient.RequestBodySpec request = this.client.post().uri(path);
		if (json != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(json);
		}
		return response(request.retrieve().toEntity(String.class));
	}

	Response get(String path) {
		return response(this.client.get().uri(path).retrieve().toEntity(String.class));
	}

	private Response response(ResponseEntity<String> entity) {
		String body = entity.getBody();
		JsonNode json = (body != null && !body.isBlank()) ? this.mapper.readTree(body) : MissingNode.getInstance();
		return new Response(entity.getStatusCode().value(), json, entity.getHeaders().getLocation(), body);
	}

	/**
	 * An HTTP response.
	 *
	 * @param status the status code
	 * @param json the body as JSON
	 * @param location the Location header, or {@code null}
	 * @param text the body as text
	 */
	record Response(int status, JsonNode json, @Nullable URI location, @Nullable String text) {

		@Override
		public String toString() {
			return this.status + " " + this.text;
		}

	}

}
