package dev.taskqueue.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;

import static dev.taskqueue.protocol.TestMessages.ID;
import static dev.taskqueue.protocol.TestMessages.PROPERTIES;
import static dev.taskqueue.protocol.TestMessages.headers;
import static dev.taskqueue.protocol.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JsonMessageCodec}: encoding details, protocol v2 decoding and error
 * handling.
 */
class JsonMessageCodecTests {

	private final JsonMessageCodec codec = new JsonMessageCodec();

	private TaskMessage decode(Map<String, Object> headers, String body) {
		return TestMessages.decode(this.codec, headers, body);
	}

	@Test
	void encodeWritesCeleryHeaderOrderThenCustomHeaders() {
		TaskMessage message = TaskMessageBuilder.task("tasks.add")
			.id(ID)
			.args(List.of(2, 3))
			.header("custom", "h")
			.header("task", "ignored: Celery's own names cannot be overridden")
			.build();
		EncodedMessage encoded = this.codec.encode(message);
		assertThat(encoded.headers().keySet()).containsExactly("lang", "task", "id", "shadow", "eta", "expires",
				"group", "group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr",
				"origin", "ignore_result", "replaced_task_nesting", "stamped_headers", "stamps", "custom");
		assertThat(encoded.headers()).containsEntry("task", "tasks.add").containsEntry("argsrepr", "(2, 3)")
			.containsEntry("timelimit", java.util.Arrays.asList(null, null));
		assertThat(encoded.contentType()).isEqualTo("application/json");
		assertThat(encoded.contentEncoding()).isEqualTo("utf-8");
		assertThat(new String(encoded.body(), StandardCharsets.UTF_8))
			.isEqualTo("[[2, 3], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]");
	}

	@Test
	void encodeWritesTimesWithSixDigitsAndIntegralTimeLimitsAsIntegers() {
		TaskMessage message = TaskMessageBuilder.task("tasks.add")
			.id(ID)
			.eta(Instant.parse("2030-01-02T03:04:05Z"))
			.expires(Instant.parse("2030-01-02T04:04:05.5Z"))
			.timeLimit(new TimeLimit(30.0, 20.5))
			.build();
		Map<String, Object> headers = this.codec.encode(message).headers();
		assertThat(headers).containsEntry("eta", "2030-01-02T03:04:05.000000+00:00")
			.containsEntry("expires", "2030-01-02T04:04:05.500000+00:00")
			.containsEntry("timelimit", List.of(30, 20.5));
		assertThat(this.codec.decode(this.codec.encode(message)).headers().timeLimit())
			.isEqualTo(new TimeLimit(30.0, 20.5));
	}

	@Test
	void encodeNamesTheArgumentThatCannotBeSerialized() {
		Map<String, Object> kwargs = new LinkedHashMap<>();
		kwargs.put("fine", 1);
		kwargs.put("stream", new Object());
		TaskMessage message = TaskMessageBuilder.task("tasks.save").id(ID).args(List.of(1)).kwargs(kwargs).build();
		assertThatExceptionOfType(MessageEncodingException.class).isThrownBy(() -> this.codec.encode(message))
			.withMessageContaining("'tasks.save'")
			.withMessageContaining("keyword argument 'stream'")
			.withMessageContaining("java.lang.Object");
		TaskMessage positional = TaskMessageBuilder.task("tasks.save").id(ID).args(List.of(1, new Broken())).build();
		assertThatExceptionOfType(MessageEncodingException.class).isThrownBy(() -> this.codec.encode(positional))
			.withMessageContaining("positional argument 1")
			.withMessageContaining(Broken.class.getName());
	}

	@Test
	void decodeAppliesCeleryDefaultsToMissingHeaders() {
		TaskMessage message = decode(headers("task", "tasks.add", "id", ID), "[[1, 2], {}, {}]");
		TaskHeaders headers = message.headers();
		assertThat(headers.lang()).isEqualTo("py");
		assertThat(headers.retries()).isZero();
		assertThat(headers.rootId()).isEqualTo(ID);
		assertThat(headers.ignoreResult()).isFalse();
		assertThat(headers.timeLimit()).isEqualTo(TimeLimit.NONE);
		assertThat(headers.stamps()).isEmpty();
		assertThat(headers.argsrepr()).isNull();
		assertThat(message.embed()).isEqualTo(Embed.NONE);
		assertThat(message.properties()).isSameAs(PROPERTIES);
	}

	@Test
	void decodeKeepsUnknownHeadersInOrderAndDropsCompression() {
		Map<String, Object> headers = headers("task", "tasks.add", "id", ID, "zeta", 1, "custom", "h", "redelivered",
				true, "stamped_headers", List.of("a"), "stamps", Map.of("a", "x"), "timelimit", List.of(10, 5));
		TaskHeaders decoded = decode(headers, "[[], {}, null]").headers();
		assertThat(decoded.extra()).containsExactly(Map.entry("zeta", 1), Map.entry("custom", "h"),
				Map.entry("redelivered", true));
		assertThat(decoded.stampedHeaders()).containsExactly("a");
		assertThat(decoded.stamps()).containsEntry("a", "x");
		assertThat(decoded.timeLimit()).isEqualTo(new TimeLimit(10.0, 5.0));
	}

	@Test
	void decodeRejectsATwoElementBody() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "tasks.add", "id", ID), "[[7, 8], {}]"))
			.withMessageContaining("body must be [args, kwargs, embed]")
			.withMessageContaining("2 element(s)");
	}

	@Test
	void decodeRejectsABodyThatIsNotAnArray() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "tasks.add", "id", ID), "\"text\""))
			.withMessageContaining("body must be [args, kwargs, embed]")
			.withMessageContaining("a string");
	}

	@Test
	void decodeRejectsAMissingOrBlankId() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "tasks.add"), "[[], {}, {}]"))
			.withMessageContaining("'id'");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "tasks.add", "id", " "), "[[], {}, {}]"))
			.withMessageContaining("'id'");
	}

	@Test
	void decodeRejectsPickleAndYaml() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message(headers("task", "t", "id", ID),
					"application/x-python-serialize", "\u0080\u0004")))
			.withMessageContaining("'application/x-python-serialize' is not accepted");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> this.codec.decode(message(headers("task", "t", "id", ID), "application/x-yaml",
					"- - 1\n")))
			.withMessageContaining("not accepted");
	}

	@Test
	void decodeRejectsInvalidJsonAndInvalidUtf8() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "t", "id", ID), "[[1, 2], {}, {"))
			.withMessageStartingWith("Invalid JSON body");
		EncodedMessage latin1 = new EncodedMessage(headers("task", "t", "id", ID), PROPERTIES, "application/json",
				"utf-8", new byte[] { '[', '[', '"', (byte) 0xE9, '"', ']', ',', '{', '}', ',', '{', '}', ']' });
		assertThatExceptionOfType(MessageDecodingException.class).isThrownBy(() -> this.codec.decode(latin1))
			.withMessageStartingWith("Invalid JSON body");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "t", "id", ID), ""))
			.withMessageContaining("empty");
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "t", "id", ID), "[[], {}, {}] []"))
			.withMessageStartingWith("Invalid JSON body");
	}

	@Test
	void decodeRejectsAnInvalidEtaNamingTheHeader() {
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "t", "id", ID, "eta", "soon"), "[[], {}, {}]"))
			.withMessageContaining("header 'eta'")
			.withMessageContaining("soon");
	}

	@Test
	void decodeReadsEtaWithNineDigitsAndNaiveTimes() {
		TaskHeaders headers = decode(headers("task", "t", "id", ID, "eta", "2030-01-02T03:04:05.123456789Z",
				"expires", "2030-01-02T03:04:05"), "[[], {}, {}]").headers();
		assertThat(headers.eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05.123456789Z"));
		assertThat(headers.expires()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
	}

	@Test
	void decodeAcceptsNaNAndInfinity() {
		TaskMessage message = decode(headers("task", "t", "id", ID), "[[NaN, Infinity, -Infinity, 1.5], {}, null]");
		assertThat(message.args()).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
				1.5);
		assertThat(message.embed()).isEqualTo(Embed.NONE);
	}

	@Test
	void nanIsWrittenAsPythonWritesIt() {
		TaskMessage message = TaskMessageBuilder.task("t").id(ID).args(List.of(Double.NaN)).build();
		assertThat(new String(this.codec.encode(message).body(), StandardCharsets.UTF_8)).startsWith("[[NaN], {}");
	}

	@Test
	void decodeReadsKombuTypedValuesInArgumentsAndEmbed() {
		TaskMessage message = decode(headers("task", "t", "id", ID), """
				[[{"__type__": "decimal", "__value__": "1.5"}],
				 {"when": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05+00:00"}},
				 {"callbacks": [{"task": "t2", "args": [
				   {"__type__": "uuid", "__value__": {"hex": "12345678123456781234567812345678"}}]}]}]""");
		assertThat(message.args()).containsExactly("1.5");
		assertThat(message.kwargs()).containsEntry("when", "2024-01-02T03:04:05+00:00");
		assertThat(message.embed().callbacks()).singleElement()
			.satisfies((callback) -> assertThat(callback.get("args"))
				.isEqualTo(List.of("12345678-1234-5678-1234-567812345678")));
		assertThatExceptionOfType(MessageDecodingException.class)
			.isThrownBy(() -> decode(headers("task", "t", "id", ID),
					"[[{\"__type__\": \"pickle\", \"__value__\": \"x\"}], {}, {}]"))
			.withMessageContaining("'pickle'");
	}

	@Test
	void decodeTreatsAMissingContentTypeAsJson() {
		TaskMessage message = this.codec.decode(message(headers("task", "t", "id", ID), "", "[[1], {}, {}]"));
		assertThat(message.args()).containsExactly(1);
	}

	static class Broken {

		@JsonProperty
		int getValue() {
			throw new IllegalStateException("no JSON for you");
		}

	}

}
