package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A throwaway {@code redis-server} that speaks only TLS on a free port of 127.0.0.1, with no
 * persistence; {@link #close()} stops it.
 */
final class TlsRedisServer implements AutoCloseable {

	private final Process process;

	private final int port;

	private TlsRedisServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Start a server.
	 * @param directory where it writes its log
	 * @param ca the authority that signs the client certificates it asks for
	 * @param certificate its certificate and key
	 * @param authClients whether clients must show a certificate signed by {@code ca}
	 */
	static TlsRedisServer start(Path directory, Path ca, TestCertificates.KeyPair certificate, boolean authClients)
			throws IOException {
		int port = freePort();
		Path log = directory.resolve("redis-" + port + ".log");
		Process process = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1", "--port", "0",
				"--tls-port", String.valueOf(port), "--tls-cert-file", certificate.certificate().toString(),
				"--tls-key-file", certificate.key().toString(), "--tls-ca-cert-file", ca.toString(),
				"--tls-auth-clients", authClients ? "yes" : "no", "--save", "", "--appendonly", "no", "--dir",
				directory.toString()))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		TlsRedisServer server = new TlsRedisServer(process, port);
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("redis-server exited; see " + log);
				}
				return accepts(port);
			});
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
