package dev.taskqueue.autoconfigure;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on why a TLS connection failed, read from the causes of the exception a client
 * threw.
 */
final class TlsFailures {

	private TlsFailures() {
	}

	/** The server's certificate was refused because no trusted authority signed it. */
	static void assertCertificateRefused(@Nullable Throwable failure) {
		assertThat(cause(failure, SSLHandshakeException.class)).as("TLS handshake failure in %s", failure)
			.isNotNull();
		assertThat(failure).rootCause().hasMessageContaining("unable to find valid certification path");
	}

	/** The server's certificate was refused because it names another host. */
	static void assertHostNameRefused(@Nullable Throwable failure) {
		assertThat(cause(failure, SSLHandshakeException.class)).as("TLS handshake failure in %s", failure)
			.isNotNull();
		assertThat(failure).rootCause()
			.hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
	}

	/** The connection failed in TLS, for any reason. */
	static void assertTlsFailed(@Nullable Throwable failure) {
		assertThat(cause(failure, SSLException.class)).as("TLS failure in %s", failure).isNotNull();
	}

	/** The connection failed, but not in TLS. */
	static void assertNotTlsFailure(@Nullable Throwable failure) {
		assertThat(failure).as("connection failure").isNotNull();
		assertThat(cause(failure, SSLException.class)).as("TLS failure in %s", failure).isNull();
	}

	private static @Nullable Throwable cause(@Nullable Throwable failure, Class<? extends Throwable> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return cause;
			}
		}
		return null;
	}

}
