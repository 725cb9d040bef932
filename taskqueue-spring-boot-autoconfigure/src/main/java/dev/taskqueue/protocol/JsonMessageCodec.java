package dev.taskqueue.protocol;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Celery task message codec: writes protocol v2 messages with Kombu's {@code json}
 * serializer (the default) or its {@code msgpack} serializer, and reads v2, v1 and hybrid
 * messages in JSON or msgpack.
 * <p>
 * Encoding writes the body {@code [args, kwargs, {"callbacks", "errbacks", "chain",
 * "chord"}]} with content type {@code application/json} and encoding {@code utf-8} (or
 * {@code application/x-msgpack} and {@code binary}, see {@link Serializer}), and the headers
 * in Celery's order (see {@link TaskHeaders}), followed by the custom headers and, when the
 * body is compressed, {@code compression}. Headers are never serialized with the body's
 * serializer: they travel in the transport's envelope or frame.
 * <p>
 * Decoding first checks the content type against the accepted ones (Celery's
 * {@code accept_content}, see {@link AcceptContent}), then decompresses the body when a
 * {@code compression} header is present, then deserializes it: {@code application/json}
 * (also assumed when the content type is missing), or {@code application/x-msgpack}. Any
 * other type, such as pickle ({@code application/x-python-serialize}) or YAML, is refused
 * with a {@link ContentDisallowedException}. Kombu 5.3+ typed JSON values
 * ({@code {"__type__": …, "__value__": …}}) become their text form. Times without an
 * offset are read as UTC, also in v1 messages sent with {@code "utc": false} (see
 * {@link ProtocolV1}).
 */
public final class JsonMessageCodec implements MessageCodec {

	/** The content type this codec writes with the {@code json} serializer. */
	public static final String CONTENT_TYPE = "application/json";

	/** The content encoding this codec writes with the {@code json} serializer. */
	public static final String CONTENT_ENCODING = "utf-8";

	private final JsonMapper mapper;

	private final ValueWriter writer;

	private final @Nullable BodyCompression compression;

	private final InboundLimits limits;

	private final AcceptContent accept;

	/** A codec that writes JSON, does not compress and reads within the default limits. */
	public JsonMessageCodec() {
		this(null);
	}

	/**
	 * A codec that writes JSON and compresses the bodies it writes.
	 * @param compression a Kombu compression alias: {@code zlib} or {@code gzip} (a zlib
	 * stream, header {@code application/x-gzip}), {@code bzip2} or {@code bzip} (header
	 * {@code application/x-bz2}, needs commons-compress), or {@code null} for none
	 * @throws IllegalArgumentException when the compression is not supported
	 * @throws IllegalStateException when bzip2 is asked for without commons-compress
	 */
	public JsonMessageCodec(@Nullable String compression) {
		this(compression, InboundLimits.DEFAULTS);
	}

	/**
	 * A codec that writes JSON, compresses the bodies it writes and reads received ones within
	 * limits.
	 * @param compression a Kombu compression alias, see {@link #JsonMessageCodec(String)}
	 * @param limits what a received message may cost to decode
	 * @throws IllegalArgumentException when the compression is not supported
	 * @throws IllegalStateException when bzip2 is asked for without commons-compress
	 */
	public JsonMessageCodec(@Nullable String compression, InboundLimits limits) {
		this(Serializer.JSON, compression, limits, AcceptContent.ALL);
	}

	/**
	 * A codec that writes with a serializer, compresses the bodies it writes and reads received
	 * ones of accepted content types within limits.
	 * @param serializer the serializer of the bodies it writes (Celery's
	 * {@code task_serializer})
	 * @param compression a Kombu compression alias, see {@link #JsonMessageCodec(String)}
	 * @param limits what a received message may cost to decode
	 * @param accept the content types it reads (Celery's {@code accept_content})
	 * @throws IllegalArgumentException when the compression is not supported
	 * @throws IllegalStateException when bzip2 is asked for without commons-compress
	 */
	public JsonMessageCodec(Serializer serializer, @Nullable String compression, InboundLimits limits,
			AcceptContent accept) {
		this.compression = (compression != null && !compression.isBlank()) ? compression(compression) : null;
		this.limits = limits;
		this.accept = accept;
		this.mapper = CeleryJson.newMapper(StreamReadConstraints.builder()
			.maxNestingDepth(limits.maxDepth())
			.maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxDecompressedSize()))
			.build());
		this.writer = new ValueWriter(serializer, this.mapper);
	}

	private static BodyCompression compression(String name) {
		BodyCompression compression = BodyCompression.forName(name);
		if (compression == null) {
			throw new IllegalArgumentException("Unsupported task compression '" + name
					+ "': use zlib (or gzip), bzip2 (or bzip), or none");
		}
		if (!compression.isAvailable()) {
			throw new IllegalStateException(compression.unavailableReason());
		}
		return compression;
	}

	@Override
	public EncodedMessage encode(TaskMessage message) {
		Map<String, Object> headers = TaskHeadersMapper.toMap(message.headers(), message.args(), message.kwargs());
		byte[] body = writeBody(message);
		if (this.compression != null) {
			body = this.compression.compress(body);
			headers.put(TaskHeadersMapper.COMPRESSION, this.compression.mimeType());
		}
		Serializer serializer = this.writer.serializer();
		return new EncodedMessage(headers, message.properties(), serializer.contentType(),
				serializer.contentEncoding(), body);
	}

	private byte[] writeBody(TaskMessage message) {
		Embed embed = message.embed();
		Map<String, Object> embedMap = new LinkedHashMap<>();
		embedMap.put("callbacks", embed.callbacks());
		embedMap.put("errbacks", embed.errbacks());
		embedMap.put("chain", embed.chain());
		embedMap.put("chord", embed.chord());
		try {
			return this.writer.write(Arrays.asList(message.args(), message.kwargs(), embedMap));
		}
		catch (MessageEncodingException ex) {
			throw new MessageEncodingException("Cannot serialize task " + TaskMessageReader.describe(message.headers())
					+ " to " + this.writer.displayName() + ": " + culprit(message, embedMap) + ": " + ex.getMessage(),
					ex);
		}
	}

	private String culprit(TaskMessage message, Map<String, Object> embed) {
		List<Object> args = message.args();
		for (int i = 0; i < args.size(); i++) {
			if (!this.writer.canWrite(args.get(i))) {
				return "positional argument " + i + " (" + typeName(args.get(i)) + ") cannot be serialized";
			}
		}
		for (Map.Entry<String, Object> entry : message.kwargs().entrySet()) {
			if (!this.writer.canWrite(entry.getValue())) {
				return "keyword argument '" + entry.getKey() + "' (" + typeName(entry.getValue())
						+ ") cannot be serialized";
			}
		}
		return this.writer.canWrite(embed) ? "the arguments cannot be serialized"
				: "the embedded callbacks, errbacks, chain or chord cannot be serialized";
	}

	private static String typeName(@Nullable Object value) {
		return (value != null) ? value.getClass().getName() : "null";
	}

	@Override
	public InboundLimits limits() {
		return this.limits;
	}

	@Override
	public TaskMessage decode(EncodedMessage message) {
		Map<String, Object> headers = message.headers();
		byte[] body = message.body();
		this.limits.checkBodySize(body.length);
		Serializer serializer = this.accept.check(message.contentType());
		Object compressionHeader = headers.get(TaskHeadersMapper.COMPRESSION);
		if (compressionHeader != null) {
			String name = compressionHeader.toString();
			BodyCompression compression = BodyCompression.forName(name);
			if (compression == null) {
				throw new MessageDecodingException("Unsupported body compression '" + name
						+ "' (supported: application/x-gzip, application/x-bz2)");
			}
			body = compression.decompress(body, this.limits);
		}
		Object value = (serializer == Serializer.MSGPACK) ? MsgpackBody.read(body, this.limits)
				: KombuJson.unwrap(readJson(body, message.contentEncoding()));
		return TaskMessageReader.read(headers, message.properties(), value);
	}

	private @Nullable Object readJson(byte[] body, @Nullable String contentEncoding) {
		if (body.length == 0) {
			throw new MessageDecodingException("Invalid JSON body: the body is empty");
		}
		try {
			String encoding = (contentEncoding != null) ? contentEncoding.trim().toLowerCase(Locale.ROOT) : "";
			if (encoding.isEmpty() || encoding.equals("utf-8") || encoding.equals("utf8")
					|| encoding.equals("binary")) {
				return this.mapper.readValue(body, Object.class);
			}
			return this.mapper.readValue(new String(body, charset(encoding)), Object.class);
		}
		catch (StreamConstraintsException ex) {
			throw new MessageDecodingException((ex.getOriginalMessage().contains("nesting depth"))
					? this.limits.tooDeep() : "JSON body exceeds a limit: " + ex.getOriginalMessage(), ex);
		}
		catch (JacksonException ex) {
			throw new MessageDecodingException("Invalid JSON body: " + ex.getOriginalMessage(), ex);
		}
	}

	private static Charset charset(String encoding) {
		try {
			return Charset.forName(encoding);
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			throw new MessageDecodingException("Unknown content encoding '" + encoding + "'", ex);
		}
	}

}
