package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.protocol.CeleryStates;
import dev.taskqueue.protocol.ResultMeta;

import static dev.taskqueue.autoconfigure.TlsFailures.assertCertificateRefused;
import static dev.taskqueue.autoconfigure.TlsFailures.assertHostNameRefused;
import static dev.taskqueue.autoconfigure.TlsFailures.assertTlsFailed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@code rediss://} brokers and result backends against throwaway TLS-only
 * {@code redis-server}s whose certificates a test CA signed.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisTlsTests {

	@TempDir
	static Path directory;

	private static TestCertificates certificates;

	private static TlsRedisServer server;

	private static TlsRedisServer wrongHostServer;

	private static TlsRedisServer clientAuthServer;

	@BeforeAll
	static void startServers() throws IOException {
		certificates = TestCertificates.create(directory);
		server = TlsRedisServer.start(directory, certificates.ca(), certificates.server(), false);
		wrongHostServer = TlsRedisServer.start(directory, certificates.ca(), certificates.wrongHost(), false);
		clientAuthServer = TlsRedisServer.start(directory, certificates.ca(), certificates.server(), true);
	}

	@AfterAll
	static void stopServers() {
		for (TlsRedisServer each : new TlsRedisServer[] { server, wrongHostServer, clientAuthServer }) {
			if (each != null) {
				each.close();
			}
		}
	}

	@Test
	void byDefaultTheJvmTrustStoreRefusesTheServer() {
		contextRunner(server).run((context) -> {
			assertCertificateRefused(catchThrowable(() -> context.getBean(Broker.class).ping()));
			assertCertificateRefused(catchThrowable(() -> context.getBean(ResultBackend.class).get("t")));
		});
	}

	@Test
	void bundleWithTheCaCarriesTasksAndResults() {
		contextRunner(server)
			.withPropertyValues("taskqueue.broker.ssl.bundle=test-ca", "taskqueue.backend.ssl.bundle=test-ca",
					"taskqueue.default-queue=tls-round-trip")
			.run((context) -> {
				Broker broker = context.getBean(Broker.class);
				broker.ping();
				String id = context.getBean(TaskOperations.class).send("tls.check", 1).id();
				BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
				try (Consumption consumption = broker.consume(new ConsumerSettings(List.of("tls-round-trip"), 1),
						deliveries::add)) {
					Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
					assertThat(delivery).isNotNull();
					assertThat(delivery.message().id()).isEqualTo(id);
					delivery.ack();
				}
				ResultBackend backend = context.getBean(ResultBackend.class);
				backend.store(ResultMeta.of(id, CeleryStates.SUCCESS, 2));
				assertThat(backend.get(id).status()).isEqualTo(CeleryStates.SUCCESS);
			});
	}

	@Test
	void certificateForAnotherHostNameIsRefused() {
		contextRunner(wrongHostServer)
			.withPropertyValues("taskqueue.broker.ssl.bundle=test-ca", "taskqueue.backend.ssl.bundle=test-ca")
			.run((context) -> {
				assertHostNameRefused(catchThrowable(() -> context.getBean(Broker.class).ping()));
				assertHostNameRefused(catchThrowable(() -> context.getBean(ResultBackend.class).get("t")));
			});
	}

	@Test
	void insecureTrustAllConnectsToAnyServerAndWarns(CapturedOutput output) {
		contextRunner(wrongHostServer)
			.withPropertyValues("taskqueue.broker.ssl.insecure-trust-all=true",
					"taskqueue.backend.ssl.insecure-trust-all=true")
			.run((context) -> {
				context.getBean(Broker.class).ping();
				assertThat(context.getBean(ResultBackend.class).get("t").status()).isEqualTo(CeleryStates.PENDING);
			});
		assertThat(output).contains("WARN")
			.contains("taskqueue.broker.ssl.insecure-trust-all=true: the TLS connection to rediss://127.0.0.1:"
					+ wrongHostServer.port() + "/0 trusts any certificate")
			.contains("taskqueue.backend.ssl.insecure-trust-all=true: the TLS connection to rediss://127.0.0.1:"
					+ wrongHostServer.port() + "/1 trusts any certificate");
	}

	@Test
	void bundleWithAKeyShowsAClientCertificate() {
		contextRunner(clientAuthServer)
			.withPropertyValues("taskqueue.broker.ssl.bundle=test-client", "taskqueue.backend.ssl.bundle=test-ca")
			.run((context) -> {
				context.getBean(Broker.class).ping();
				assertTlsFailed(catchThrowable(() -> context.getBean(ResultBackend.class).get("t")));
			});
	}

	private static ApplicationContextRunner contextRunner(TlsRedisServer server) {
		String location = "rediss://127.0.0.1:" + server.port();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, TaskQueueAutoConfiguration.class))
			.withPropertyValues("taskqueue.broker.url=" + location + "/0", "taskqueue.backend.url=" + location + "/1",
					"spring.ssl.bundle.pem.test-ca.truststore.certificate=file:" + certificates.ca(),
					"spring.ssl.bundle.pem.test-client.truststore.certificate=file:" + certificates.ca(),
					"spring.ssl.bundle.pem.test-client.keystore.certificate=file:"
							+ certificates.client().certificate(),
					"spring.ssl.bundle.pem.test-client.keystore.private-key=file:" + certificates.client().key());
	}

}
