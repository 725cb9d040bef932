package dev.taskqueue.autoconfigure;

import java.nio.file.Path;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.taskqueue.autoconfigure.TlsFailures.assertCertificateRefused;
import static dev.taskqueue.autoconfigure.TlsFailures.assertHostNameRefused;
import static dev.taskqueue.autoconfigure.TlsFailures.assertNotTlsFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@code amqps://} brokers against a TLS server socket that reads the AMQP protocol
 * header and speaks no further, with certificates a test CA signed. The shared RabbitMQ node is
 * left as it is.
 */
@ExtendWith(OutputCaptureExtension.class)
class AmqpTlsTests {

	@TempDir
	static Path directory;

	private static TestCertificates certificates;

	@BeforeAll
	static void createCertificates() {
		certificates = TestCertificates.create(directory);
	}

	@Test
	void byDefaultTheJvmTrustStoreRefusesTheServer() throws Exception {
		try (TlsProbeServer server = TlsProbeServer.start(certificates.server())) {
			contextRunner(server).run((context) -> {
				assertCertificateRefused(connect(context));
				assertThat(server.nextArrival().header()).isNull();
			});
		}
	}

	@Test
	void bundleWithTheCaGetsTheProtocolHeaderThroughTls() throws Exception {
		try (TlsProbeServer server = TlsProbeServer.start(certificates.server())) {
			contextRunner(server).withPropertyValues("taskqueue.broker.ssl.bundle=test-ca").run((context) -> {
				assertNotTlsFailure(connect(context));
				TlsProbeServer.Arrival arrival = server.nextArrival();
				assertThat(arrival.header()).isEqualTo(TlsProbeServer.AMQP_0_9_1_HEADER);
				assertThat(arrival.protocol()).startsWith("TLSv1.");
			});
		}
	}

	@Test
	void bundleWithAKeyShowsAClientCertificate() throws Exception {
		try (TlsProbeServer server = TlsProbeServer.start(certificates.server(), certificates.ca())) {
			contextRunner(server).withPropertyValues("taskqueue.broker.ssl.bundle=test-client").run((context) -> {
				assertNotTlsFailure(connect(context));
				assertThat(server.nextArrival().header()).isEqualTo(TlsProbeServer.AMQP_0_9_1_HEADER);
			});
			contextRunner(server).withPropertyValues("taskqueue.broker.ssl.bundle=test-ca").run((context) -> {
				assertThat(connect(context)).isNotNull();
				assertThat(server.nextArrival().handshakeFailure()).isInstanceOf(SSLHandshakeException.class);
			});
		}
	}

	@Test
	void certificateForAnotherHostNameIsRefused() throws Exception {
		try (TlsProbeServer server = TlsProbeServer.start(certificates.wrongHost())) {
			contextRunner(server).withPropertyValues("taskqueue.broker.ssl.bundle=test-ca").run((context) -> {
				assertHostNameRefused(connect(context));
				assertThat(server.nextArrival().header()).isNull();
			});
		}
	}

	@Test
	void insecureTrustAllGetsThroughToAnyServerAndWarns(CapturedOutput output) throws Exception {
		try (TlsProbeServer server = TlsProbeServer.start(certificates.wrongHost())) {
			contextRunner(server).withPropertyValues("taskqueue.broker.ssl.insecure-trust-all=true")
				.run((context) -> {
					assertNotTlsFailure(connect(context));
					assertThat(server.nextArrival().header()).isEqualTo(TlsProbeServer.AMQP_0_9_1_HEADER);
				});
			assertThat(output).contains("WARN")
				.contains("taskqueue.broker.ssl.insecure-trust-all=true: the TLS connection to amqps://guest:**@"
						+ "127.0.0.1:" + server.port() + "/ trusts any certificate and skips the host name check");
		}
	}

	private static Throwable connect(AssertableApplicationContext context) {
		CachingConnectionFactory connectionFactory = context
			.getBean(AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME, CachingConnectionFactory.class);
		return catchThrowable(() -> connectionFactory.createConnection().close());
	}

	private static ApplicationContextRunner contextRunner(TlsProbeServer server) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, TaskQueueAutoConfiguration.class))
			.withPropertyValues("taskqueue.broker.url=amqps://guest:guest@127.0.0.1:" + server.port() + "/",
					"taskqueue.worker.enabled=false",
					"spring.ssl.bundle.pem.test-ca.truststore.certificate=file:" + certificates.ca(),
					"spring.ssl.bundle.pem.test-client.truststore.certificate=file:" + certificates.ca(),
					"spring.ssl.bundle.pem.test-client.keystore.certificate=file:"
							+ certificates.client().certificate(),
					"spring.ssl.bundle.pem.test-client.keystore.private-key=file:" + certificates.client().key());
	}

}
