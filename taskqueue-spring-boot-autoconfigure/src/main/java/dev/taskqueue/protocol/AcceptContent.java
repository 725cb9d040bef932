package dev.taskqueue.protocol;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The serializers whose task messages a worker deserializes (Celery's {@code accept_content}).
 * A message of any other content type is refused before its body is decompressed or parsed,
 * with the reason Celery's {@code ContentDisallowed} gives. Pickle and YAML are never
 * deserialized: they run code of the sender's choosing, so naming them is refused. A message
 * without a content type is read as JSON. Immutable.
 */
public final class AcceptContent {

	/** Every serializer this library reads: {@code json} and {@code msgpack}. The default. */
	public static final AcceptContent ALL = new AcceptContent(EnumSet.allOf(Serializer.class));

	private static final Set<String> NEVER = Set.of("pickle", "application/x-python-serialize", "yaml",
			"application/x-yaml", "application/yaml");

	private final Set<Serializer> serializers;

	private AcceptContent(Set<Serializer> serializers) {
		this.serializers = serializers;
	}

	/**
	 * The accepted serializers, named as Celery's {@code accept_content} names them: by kombu
	 * name ({@code json}, {@code msgpack}) or content type ({@code application/json},
	 * {@code application/x-msgpack}), in any case.
	 * @param names the names
	 * @return the accepted content
	 * @throws IllegalArgumentException when a name is pickle or YAML (by name or content type),
	 * or no serializer of this library, or when no name is given
	 */
	public static AcceptContent of(Collection<String> names) {
		Set<Serializer> serializers = EnumSet.noneOf(Serializer.class);
		for (String name : names) {
			serializers.add(serializer(name));
		}
		if (serializers.isEmpty()) {
			throw new IllegalArgumentException("No content type is accepted: name json, msgpack or both");
		}
		return new AcceptContent(serializers);
	}

	private static Serializer serializer(String name) {
		String key = Serializer.mediaType(name);
		if (NEVER.contains(key)) {
			throw new IllegalArgumentException("'" + name + "' is never deserialized: pickle and YAML run code of "
					+ "the sender's choosing; accept json, msgpack or both");
		}
		for (Serializer serializer : Serializer.values()) {
			if (serializer.kombuName().equals(key)) {
				return serializer;
			}
		}
		Serializer serializer = Serializer.forContentType(key);
		if (serializer == null) {
			throw new IllegalArgumentException("Unknown serializer '" + name
					+ "': accept json (application/json), msgpack (application/x-msgpack) or both");
		}
		return serializer;
	}

	/**
	 * Whether messages of a serializer are accepted.
	 * @param serializer the serializer
	 * @return whether they are deserialized
	 */
	public boolean accepts(Serializer serializer) {
		return this.serializers.contains(serializer);
	}

	/**
	 * Check the content type of a received message, before its body is touched.
	 * @param contentType the message's content type, JSON when {@code null} or empty
	 * @return the serializer that reads the body
	 * @throws ContentDisallowedException when the content type is not accepted
	 */
	Serializer check(@Nullable String contentType) {
		String mediaType = Serializer.mediaType(contentType);
		Serializer serializer = mediaType.isEmpty() ? Serializer.JSON : Serializer.forContentType(mediaType);
		if (serializer != null && accepts(serializer)) {
			return serializer;
		}
		String type = mediaType.isEmpty() ? Serializer.JSON.contentType() : mediaType;
		String kind = (serializer != null) ? serializer.kombuName() : kombuName(mediaType);
		String name = (kind != null) ? kind + " (" + type + ")" : type;
		String what = mediaType.isEmpty() ? "A message without content type (read as " + type + ")"
				: "Content type '" + contentType + "'";
		throw new ContentDisallowedException(what + " is not accepted (accept_content is "
				+ this + (NEVER.contains(mediaType) ? "; pickle and YAML are never deserialized" : "")
				+ "): Refusing to deserialize untrusted content of type " + name);
	}

	private static @Nullable String kombuName(String mediaType) {
		return switch (mediaType) {
			case "application/x-python-serialize" -> "pickle";
			case "application/x-yaml", "application/yaml" -> "yaml";
			default -> null;
		};
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof AcceptContent accept) && this.serializers.equals(accept.serializers);
	}

	@Override
	public int hashCode() {
		return this.serializers.hashCode();
	}

	/**
	 * The accepted serializers' names.
	 * @return such as {@code [json, msgpack]}
	 */
	@Override
	public String toString() {
		return this.serializers.stream().map(Serializer::kombuName).collect(Collectors.joining(", ", "[", "]"));
	}

}
