package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and certificates it signed, made with {@code openssl} into a
 * directory: one for 127.0.0.1 and localhost, one for another host name, and a client's.
 *
 * @param ca the authority's certificate (PEM)
 * @param server the certificate for 127.0.0.1 and localhost and its key
 * @param wrongHost the certificate for {@code wrong-host.invalid} only and its key
 * @param client a client certificate and its key
 */
record TestCertificates(Path ca, KeyPair server, KeyPair wrongHost, KeyPair client) {

	static TestCertificates create(Path directory) {
		Path caKey = directory.resolve("ca.key");
		Path ca = directory.resolve("ca.crt");
		openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
				"-days", "1", "-subj", "/CN=taskqueue test CA", "-keyout", caKey.toString(), "-out", ca.toString());
		return new TestCertificates(ca, sign(directory, ca, caKey, "server", "IP:127.0.0.1,DNS:localhost"),
				sign(directory, ca, caKey, "wrong-host", "DNS:wrong-host.invalid"),
				sign(directory, ca, caKey, "client", "DNS:taskqueue-client"));
	}

	private static KeyPair sign(Path directory, Path ca, Path caKey, String name, String subjectAltNames) {
		KeyPair pair = new KeyPair(directory.resolve(name + ".crt"), directory.resolve(name + ".key"));
		openssl(directory, "req", "-x509", "-CA", ca.toString(), "-CAkey", caKey.toString(), "-newkey", "ec",
				"-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=" + name,
				"-addext", "subjectAltName=" + subjectAltNames, "-addext", "basicConstraints=critical,CA:FALSE",
				"-keyout", pair.key().toString(), "-out", pair.certificate().toString());
		return pair;
	}

	private static void openssl(Path directory, String... arguments) {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("openssl failed: " + command + "\n" + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run openssl, which these tests need on the PATH", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A certificate and its private key, both PEM files.
	 *
	 * @param certificate the certificate
	 * @param key the unencrypted private key
	 */
	record KeyPair(Path certificate, Path key) {

	}

}
