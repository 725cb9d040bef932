package dev.taskqueue.protocol;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The serializers of task bodies and result metas, by kombu's names (Celery's
 * {@code task_serializer} and {@code result_serializer}). Pickle and YAML are not among them:
 * they run code of the sender's choosing and are never written or read.
 */
public enum Serializer {

	/** Kombu's {@code json}: {@code application/json}, {@code utf-8}. The default. */
	JSON("application/json", "utf-8"),

	/**
	 * Kombu's {@code msgpack}: {@code application/x-msgpack}, {@code binary}, packed as Python's
	 * {@code msgpack.packb(value, use_bin_type=True)} packs it.
	 */
	MSGPACK("application/x-msgpack", "binary");

	private final String contentType;

	private final String contentEncoding;

	Serializer(String contentType, String contentEncoding) {
		this.contentType = contentType;
		this.contentEncoding = contentEncoding;
	}

	/**
	 * The content type of what this serializer writes.
	 * @return the MIME type, such as {@code application/json}
	 */
	public String contentType() {
		return this.contentType;
	}

	/**
	 * The content encoding of what this serializer writes.
	 * @return {@code utf-8} or {@code binary}
	 */
	public String contentEncoding() {
		return this.contentEncoding;
	}

	/**
	 * The name kombu registers this serializer under.
	 * @return the name, such as {@code json}
	 */
	public String kombuName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The serializer of a content type, ignoring parameters and case. {@code application/msgpack}
	 * is read as msgpack too.
	 * @param contentType the content type, may be {@code null}
	 * @return the serializer, or {@code null} when none reads that type
	 */
	public static @Nullable Serializer forContentType(@Nullable String contentType) {
		return switch (mediaType(contentType)) {
			case "application/json" -> JSON;
			case "application/x-msgpack", "application/msgpack" -> MSGPACK;
			default -> null;
		};
	}

	/**
	 * The media type of a content type: without parameters, trimmed, in lower case.
	 * @param contentType the content type, may be {@code null}
	 * @return the media type, empty when there is none
	 */
	static String mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return "";
		}
		int parameters = contentType.indexOf(';');
		String type = (parameters >= 0) ? contentType.substring(0, parameters) : contentType;
		return type.trim().toLowerCase(Locale.ROOT);
	}

}
