package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS server socket on a free port of 127.0.0.1 that speaks no AMQP: for each connection it
 * completes the TLS handshake (asking for a client certificate if told to), reads the 8 bytes of
 * the client's protocol header and hangs up, recording what arrived or why the handshake failed.
 */
final class TlsProbeServer implements AutoCloseable {

	/** The protocol header an AMQP 0-9-1 client sends first. */
	static final byte[] AMQP_0_9_1_HEADER = { 'A', 'M', 'Q', 'P', 0, 0, 9, 1 };

	private final SSLServerSocket serverSocket;

	private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();

	private TlsProbeServer(SSLServerSocket serverSocket) {
		this.serverSocket = serverSocket;
		Thread acceptor = new Thread(this::serve, "tls-probe-" + serverSocket.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static TlsProbeServer start(TestCertificates.KeyPair certificate) throws IOException {
		return start(certificate, null);
	}

	/**
	 * Start a server.
	 * @param certificate its certificate and key
	 * @param clientCa the authority that must have signed the client's certificate, or
	 * {@code null} to ask for none
	 */
	static TlsProbeServer start(TestCertificates.KeyPair certificate, @Nullable Path clientCa) throws IOException {
		PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificate(Files.readString(certificate.certificate()))
			.withPrivateKey(Files.readString(certificate.key()));
		PemSslStoreDetails trustStore = (clientCa != null)
				? PemSslStoreDetails.forCertificate(Files.readString(clientCa)) : null;
		SslBundle bundle = SslBundle.of(new PemSslStoreBundle(keyStore, trustStore));
		SSLServerSocket serverSocket = (SSLServerSocket) bundle.createSslContext()
			.getServerSocketFactory()
			.createServerSocket(0, 10, InetAddress.getLoopbackAddress());
		serverSocket.setNeedClientAuth(clientCa != null);
		return new TlsProbeServer(serverSocket);
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	/**
	 * What the next connection brought.
	 * @return its arrival
	 */
	Arrival nextArrival() throws InterruptedException {
		Arrival arrival = this.arrivals.poll(30, TimeUnit.SECONDS);
		assertThat(arrival).as("a connection to the TLS probe server").isNotNull();
		return arrival;
	}

	private void serve() {
		while (!this.serverSocket.isClosed()) {
			try (SSLSocket socket = (SSLSocket) this.serverSocket.accept()) {
				socket.setSoTimeout(30_000);
				this.arrivals.add(receive(socket));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private static Arrival receive(SSLSocket socket) {
		try {
			socket.startHandshake();
			byte[] header = socket.getInputStream().readNBytes(AMQP_0_9_1_HEADER.length);
			return new Arrival(header, socket.getSession().getProtocol(), null);
		}
		catch (IOException ex) {
			return new Arrival(null, null, ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
	}

	/**
	 * What one connection brought.
	 *
	 * @param header the first bytes received after the TLS handshake, or {@code null}
	 * @param protocol the TLS protocol agreed, or {@code null}
	 * @param handshakeFailure why the handshake failed, or {@code null}
	 */
	record Arrival(byte @Nullable [] header, @Nullable String protocol, @Nullable IOException handshakeFailure) {

	}

}
