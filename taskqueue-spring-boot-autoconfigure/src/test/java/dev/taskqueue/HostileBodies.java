package dev.taskqueue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * Message bodies built to hurt a decoder: containers that declare more elements than exist,
 * nesting deeper than any stack, compression bombs and invalid text. Each is small on the wire.
 */
public final class HostileBodies {

	private HostileBodies() {
	}

	/** A msgpack array32 header declaring 2^31-1 elements, and nothing after it. */
	public static byte[] msgpackHugeArray() {
		return new byte[] { (byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff };
	}

	/** A msgpack map32 header declaring 2^31-1 entries. */
	public static byte[] msgpackHugeMap() {
		return new byte[] { (byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff };
	}

	/** A msgpack bin32 header declaring 2^31-1 bytes. */
	public static byte[] msgpackHugeBinary() {
		return new byte[] { (byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff };
	}

	/** A msgpack str32 header declaring 2^32-1 bytes (negative as a Java int). */
	public static byte[] msgpackHugeString() {
		return new byte[] { (byte) 0xdb, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff };
	}

	/** Arrays of one element nested {@code depth} deep, in msgpack. */
	public static byte[] msgpackDeep(int depth) {
		byte[] body = new byte[depth + 1];
		Arrays.fill(body, 0, depth, (byte) 0x91);
		body[depth] = (byte) 0xc0;
		return body;
	}

	/** Arrays nested {@code depth} deep, in JSON. */
	public static byte[] jsonDeep(int depth) {
		return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
	}

	/** A zlib stream (kombu's "zlib") that inflates to {@code size} zero bytes. */
	public static byte[] zlibBomb(long size) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] zeros = new byte[1 << 20];
			byte[] buffer = new byte[1 << 16];
			for (long written = 0; written < size; written += zeros.length) {
				deflater.setInput(zeros, 0, (int) Math.min(zeros.length, size - written));
				while (!deflater.needsInput()) {
					out.write(buffer, 0, deflater.deflate(buffer));
				}
			}
			deflater.finish();
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	/** A bzip2 stream that decompresses to {@code size} zero bytes. */
	public static byte[] bzip2Bomb(long size) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (BZip2CompressorOutputStream bzip2 = new BZip2CompressorOutputStream(out)) {
			byte[] zeros = new byte[1 << 20];
			for (long written = 0; written < size; written += zeros.length) {
				bzip2.write(zeros, 0, (int) Math.min(zeros.length, size - written));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/** A Celery v2 JSON body whose only argument holds bytes that are not UTF-8. */
	public static byte[] jsonInvalidUtf8() {
		byte[] prefix = "[[\"".getBytes(StandardCharsets.US_ASCII);
		byte[] suffix = "\"], {}, {}]".getBytes(StandardCharsets.US_ASCII);
		byte[] body = new byte[prefix.length + 2 + suffix.length];
		System.arraycopy(prefix, 0, body, 0, prefix.length);
		body[prefix.length] = (byte) 0xff;
		body[prefix.length + 1] = (byte) 0xfe;
		System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
		return body;
	}

}
