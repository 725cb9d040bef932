package dev.taskqueue.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Kombu's body compression. The {@code compression} header names the codec by its MIME
 * type; kombu also accepts the aliases. {@code zlib} (header {@code application/x-gzip})
 * is a zlib stream (RFC 1950) despite the name; {@code bzip2} needs
 * {@code org.apache.commons:commons-compress} on the classpath.
 */
enum BodyCompression {

	/** Kombu's {@code zlib} / {@code gzip}: a zlib stream. */
	ZLIB("application/x-gzip"),

	/** Kombu's {@code bzip2} / {@code bzip}. */
	BZIP2("application/x-bz2");

	private static final boolean BZIP2_PRESENT = ClassUtils.isPresent(
			"org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream",
			BodyCompression.class.getClassLoader());

	private final String mimeType;

	BodyCompression(String mimeType) {
		this.mimeType = mimeType;
	}

	/**
	 * Return the value of the {@code compression} header.
	 * @return the MIME type of the compression
	 */
	String mimeType() {
		return this.mimeType;
	}

	/**
	 * The compression named by an alias or MIME type, as kombu's {@code get_encoder} and
	 * {@code get_decoder} accept them.
	 * @param name the alias or MIME type
	 * @return the compression, or {@code null} when kombu has none of that name or this
	 * library does not implement it
	 */
	static @Nullable BodyCompression forName(String name) {
		return switch (name.trim().toLowerCase(Locale.ROOT)) {
			case "zlib", "gzip", "application/x-gzip" -> ZLIB;
			case "bzip2", "bzip", "application/x-bz2" -> BZIP2;
			default -> null;
		};
	}

	/**
	 * Return whether the classes this compression needs are present.
	 * @return whether the compression is available
	 */
	boolean isAvailable() {
		return this != BZIP2 || BZIP2_PRESENT;
	}

	/**
	 * Return why {@link #isAvailable()} is false.
	 * @return the reason
	 */
	String unavailableReason() {
		return "bzip2 compression (application/x-bz2) requires org.apache.commons:commons-compress on the classpath";
	}

	byte[] compress(byte[] data) {
		if (this == ZLIB) {
			Deflater deflater = new Deflater();
			try {
				deflater.setInput(data);
				deflater.finish();
				ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
				byte[] buffer = new byte[8192];
				while (!deflater.finished()) {
					out.write(buffer, 0, deflater.deflate(buffer));
				}
				return out.toByteArray();
			}
			finally {
				deflater.end();
			}
		}
		try {
			return Bzip2.compress(data);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Decompress a body within the default limits.
	 * @param data the compressed bytes
	 * @return the bytes
	 * @throws MessageDecodingException when the bytes are not of this compression
	 */
	byte[] decompress(byte[] data) {
		return decompress(data, InboundLimits.DEFAULTS);
	}

	/**
	 * Decompress a received body, stopping as soon as the output passes the limit (a small
	 * body can inflate to gigabytes).
	 * @param data the compressed bytes
	 * @param limits the largest output allowed
	 * @return the bytes
	 * @throws MessageDecodingException when the bytes are not of this compression, or inflate
	 * past {@link InboundLimits#maxDecompressedSize()}
	 */
	byte[] decompress(byte[] data, InboundLimits limits) {
		if (!isAvailable()) {
			throw new MessageDecodingException("Cannot decompress the body: " + unavailableReason());
		}
		try {
			if (this == BZIP2) {
				return Bzip2.decompress(data, limits);
			}
			if (data.length > 1 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
				// A real gzip stream (RFC 1952): not what kombu sends, but unambiguous
				return readAll(new GZIPInputStream(new ByteArrayInputStream(data)), limits);
			}
			return inflate(data, limits);
		}
		catch (IOException | DataFormatException ex) {
			throw new MessageDecodingException(
					"Cannot decompress the body as " + this.mimeType + ": " + ex.getMessage(), ex);
		}
	}

	private static byte[] inflate(byte[] data, InboundLimits limits) throws DataFormatException {
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(data);
			BoundedOutput out = new BoundedOutput(initialSize(data.length * 4L, limits), limits);
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int count = inflater.inflate(buffer);
				if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new DataFormatException("truncated zlib stream");
				}
				out.write(buffer, count);
			}
			return out.toByteArray();
		}
		finally {
			inflater.end();
		}
	}

	private static byte[] readAll(InputStream in, InboundLimits limits) throws IOException {
		try (in) {
			BoundedOutput out = new BoundedOutput(8192, limits);
			byte[] buffer = new byte[8192];
			for (int count = in.read(buffer); count >= 0; count = in.read(buffer)) {
				out.write(buffer, count);
			}
			return out.toByteArray();
		}
	}

	private static int initialSize(long guess, InboundLimits limits) {
		return (int) Math.max(64, Math.min(guess, Math.min(limits.maxDecompressedSize(), 1 << 20)));
	}

	/** Collects output and refuses to grow past the decompressed size limit. */
	private static final class BoundedOutput extends ByteArrayOutputStream {

		private final InboundLimits limits;

		BoundedOutput(int initialSize, InboundLimits limits) {
			super(initialSize);
			this.limits = limits;
		}

		void write(byte[] buffer, int length) {
			if (this.count + (long) length > this.limits.maxDecompressedSize()) {
				throw new MessageDecodingException(this.limits.decompressedTooLarge());
			}
			write(buffer, 0, length);
		}

	}

	/** Kept apart so that commons-compress is loaded only when bzip2 is used. */
	private static final class Bzip2 {

		static byte[] compress(byte[] data) throws IOException {
			ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
			try (OutputStream bzip2 = new BZip2CompressorOutputStream(out)) {
				bzip2.write(data);
			}
			return out.toByteArray();
		}

		static byte[] decompress(byte[] data, InboundLimits limits) throws IOException {
			return readAll(new BZip2CompressorInputStream(new ByteArrayInputStream(data), true), limits);
		}

	}

}
