package dev.taskqueue.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON dialect of Celery's wire format (Kombu's {@code json} serializer), as a private
 * Jackson mapper that is independent of any mapper the application configures.
 * <p>
 * A mapper from {@link #newMapper()}:
 * <ul>
 * <li>reads {@code NaN}, {@code Infinity} and {@code -Infinity}, which Python emits for such
 * floats, and writes them the same way (bare tokens, not strings);</li>
 * <li>writes {@code java.time} values as ISO-8601 strings, never as timestamps;</li>
 * <li>ignores unknown properties when binding to Java types, and refuses trailing content
 * after the value;</li>
 * <li>keeps the insertion order of maps;</li>
 * <li>refuses to write objects that have no properties (rather than writing
 * {@code {}} for a value that has no JSON form);</li>
 * <li>writes what Python's {@code json.dumps} writes with its defaults: separators
 * {@code ", "} and {@code ": "}, and every non-ASCII character as a lower-case Unicode
 * escape ({@code ensure_ascii=True}), so that bodies of plain values are byte-for-byte
 * those of a Python producer.</li>
 * </ul>
 * Untyped reads give {@link java.util.LinkedHashMap}, {@link java.util.ArrayList},
 * {@link String}, {@link Integer}/{@link Long}/{@link java.math.BigInteger}, {@link Double},
 * {@link Boolean} and {@code null}.
 */
public final class CeleryJson {

	private CeleryJson() {
	}

	/**
	 * Create a mapper for the wire format. Mappers are thread-safe; callers should keep the
	 * instance rather than create one per message.
	 * @return a new mapper
	 */
	public static JsonMapper newMapper() {
		return newMapper(StreamReadConstraints.defaults());
	}

	/**
	 * Create a mapper for the wire format that reads within the given constraints, for input
	 * from brokers.
	 * @param constraints the limits of nesting depth, string and number lengths
	 * @return a new mapper
	 */
	public static JsonMapper newMapper(StreamReadConstraints constraints) {
		return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
			.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
			.disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
			.enable(JsonWriteFeature.ESCAPE_NON_ASCII)
			.disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
			.disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
			.enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.enable(SerializationFeature.INDENT_OUTPUT)
			.defaultPrettyPrinter(PythonSeparators.INSTANCE)
			.build();
	}

	/**
	 * The layout of Python's {@code json.dumps}: one line, {@code ", "} between items and
	 * {@code ": "} between a key and its value, {@code []} and {@code {}} when empty.
	 */
	private static final class PythonSeparators implements PrettyPrinter {

		static final PythonSeparators INSTANCE = new PythonSeparators();

		@Override
		public void writeRootValueSeparator(JsonGenerator generator) throws JacksonException {
			generator.writeRaw(' ');
		}

		@Override
		public void writeStartObject(JsonGenerator generator) throws JacksonException {
			generator.writeRaw('{');
		}

		@Override
		public void writeEndObject(JsonGenerator generator, int entries) throws JacksonException {
			generator.writeRaw('}');
		}

		@Override
		public void writeObjectEntrySeparator(JsonGenerator generator) throws JacksonException {
			generator.writeRaw(", ");
		}

		@Override
		public void writeObjectNameValueSeparator(JsonGenerator generator) throws JacksonException {
			generator.writeRaw(": ");
		}

		@Override
		public void writeStartArray(JsonGenerator generator) throws JacksonException {
			generator.writeRaw('[');
		}

		@Override
		public void writeEndArray(JsonGenerator generator, int values) throws JacksonException {
			generator.writeRaw(']');
		}

		@Override
		public void writeArrayValueSeparator(JsonGenerator generator) throws JacksonException {
			generator.writeRaw(", ");
		}

		@Override
		public void beforeArrayValues(JsonGenerator generator) throws JacksonException {
		}

		@Override
		public void beforeObjectEntries(JsonGenerator generator) throws JacksonException {
		}

	}

}
