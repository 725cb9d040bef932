package dev.taskqueue.protocol;

import java.util.Locale;

/**
 * The compressions of sent task bodies, by kombu's names (Celery's {@code task_compression}).
 * {@link #ZLIB} and its alias {@link #GZIP} write a zlib stream with the header
 * {@code application/x-gzip}; {@link #BZIP2} and its alias {@link #BZIP} write bzip2 with the
 * header {@code application/x-bz2} and need {@code org.apache.commons:commons-compress}.
 */
public enum TaskCompression {

	/** Kombu's {@code zlib}: a zlib stream (RFC 1950). */
	ZLIB,

	/** Kombu's {@code gzip}, an alias of {@code zlib}: a zlib stream despite the name. */
	GZIP,

	/** Kombu's {@code bzip2}. */
	BZIP2,

	/** Kombu's {@code bzip}, an alias of {@code bzip2}. */
	BZIP;

	/**
	 * The name kombu registers this compression under, as {@link JsonMessageCodec} accepts it.
	 * @return the name, such as {@code zlib}
	 */
	public String kombuName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
