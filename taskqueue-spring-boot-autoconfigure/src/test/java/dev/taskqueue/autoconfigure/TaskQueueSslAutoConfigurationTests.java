package dev.taskqueue.autoconfigure;

import java.nio.file.Path;
import java.util.Arrays;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslVerifyMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@code taskqueue.broker.ssl.*} and {@code taskqueue.backend.ssl.*} properties:
 * how they resolve SSL bundles and which settings fail start-up. No connection is opened.
 */
class TaskQueueSslAutoConfigurationTests {

	@TempDir
	static Path directory;

	private static TestCertificates certificates;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@BeforeAll
	static void createCertificates() {
		certificates = TestCertificates.create(directory);
	}

	@Test
	void tlsUrlsVerifyCertificateAndHostNameByDefault() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=rediss://127.0.0.1:6390/0",
					"taskqueue.backend.url=rediss://127.0.0.1:6390/1")
			.run((context) -> {
				for (String name : new String[] { RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME,
						RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME }) {
					LettuceClientConfiguration client = context.getBean(name, LettuceConnectionFactory.class)
						.getClientConfiguration();
					assertThat(client.isUseSsl()).isTrue();
					assertThat(client.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
				}
			});
		this.contextRunner.withPropertyValues("taskqueue.broker.url=amqps://127.0.0.1:5699/")
			.run((context) -> assertThat(context
				.getBean(AmqpBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME, CachingConnectionFactory.class)
				.getRabbitConnectionFactory()
				.isSSL()).isTrue());
	}

	@Test
	void bundleIsResolvedThroughSslBundles() {
		this.contextRunner
			.withPropertyValues(caBundle("test-ca"), "spring.ssl.bundle.pem.test-ca.options.enabled-protocols=TLSv1.3",
					"taskqueue.broker.url=rediss://127.0.0.1:6390/0", "taskqueue.broker.ssl.bundle=test-ca")
			.run((context) -> {
				TaskQueueProperties properties = context.getBean(TaskQueueProperties.class);
				ConnectionTls tls = ConnectionTls.of(
						TaskQueueUrl.parse(properties.getBroker().getUrl(), "url", TaskQueueUrl.BROKER_SCHEMES),
						"rediss", "taskqueue.broker", properties.getBroker().getSsl(),
						context.getBeanProvider(SslBundles.class));
				assertThat(tls.bundle()).isSameAs(context.getBean(SslBundles.class).getBundle("test-ca"));
				assertThat(tls.insecureTrustAll()).isFalse();
				LettuceClientConfiguration client = context
					.getBean(RedisBrokerConfiguration.CONNECTION_FACTORY_BEAN_NAME, LettuceConnectionFactory.class)
					.getClientConfiguration();
				assertThat(client.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
				assertThat(client.getClientOptions().map(ClientOptions::getSslOptions))
					.hasValueSatisfying(
							(sslOptions) -> assertThat(sslOptions.getProtocols()).containsExactly("TLSv1.3"));
			});
	}

	@Test
	void insecureTrustAllTurnsPeerVerificationOff() {
		this.contextRunner
			.withPropertyValues("taskqueue.backend.url=rediss://127.0.0.1:6390/1",
					"taskqueue.backend.ssl.insecure-trust-all=true")
			.run((context) -> assertThat(context
				.getBean(RedisBackendConfiguration.CONNECTION_FACTORY_BEAN_NAME, LettuceConnectionFactory.class)
				.getClientConfiguration()
				.getVerifyMode()).isEqualTo(SslVerifyMode.NONE));
	}

	@Test
	void missingBundleFailsStartup() {
		this.contextRunner
			.withPropertyValues("taskqueue.broker.url=amqps://127.0.0.1:5699/", "taskqueue.broker.ssl.bundle=nope")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("taskqueue.broker.ssl.bundle=nope names no SSL bundle: define it as "
						+ "spring.ssl.bundle.pem.nope.* or spring.ssl.bundle.jks.nope.*"));
		this.contextRunner
			.withPropertyValues("taskqueue.backend.url=rediss://127.0.0.1:6390/1", "taskqueue.backend.ssl.bundle=nope")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("taskqueue.backend.ssl.bundle=nope names no SSL bundle"));
	}

	@Test
	void bundleWithoutSslBundlesFailsStartup() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
			.withPropertyValues("taskqueue.broker.url=rediss://127.0.0.1:6390/0", "taskqueue.broker.ssl.bundle=test-ca")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageEndingWith("taskqueue.broker.ssl.bundle=test-ca but the application has no SslBundles bean "
						+ "(Spring Boot's SslAutoConfiguration)"));
	}

	@Test
	void bundleOnUrlWithoutTlsFailsStartup() {
		assertFailure("taskqueue.broker.url=redis://127.0.0.1:6379/0", "taskqueue.broker.ssl.bundle=test-ca",
				"taskqueue.broker.ssl.bundle=test-ca applies only to the TLS connection built from an amqps:// or "
						+ "rediss:// taskqueue.broker.url, but taskqueue.broker.url=redis://127.0.0.1:6379/0 does not "
						+ "use TLS: use rediss://");
		assertFailure("taskqueue.broker.url=amqp://guest:secret@127.0.0.1:5672/", "taskqueue.broker.ssl.bundle=test-ca",
				"but taskqueue.broker.url=amqp://guest:**@127.0.0.1:5672/ does not use TLS: use amqps://");
		assertFailure("taskqueue.backend.url=redis://127.0.0.1:6379/1", "taskqueue.backend.ssl.bundle=test-ca",
				"but taskqueue.backend.url=redis://127.0.0.1:6379/1 does not use TLS: use rediss://");
		assertFailure("taskqueue.backend.url=redis://127.0.0.1:6379/1", "taskqueue.backend.ssl.insecure-trust-all=true",
				"taskqueue.backend.ssl.insecure-trust-all=true applies only to the TLS connection");
	}

	@Test
	void tlsPropertiesOfConnectionsNotBuiltFromATlsUrlFailStartup() {
		assertFailure("taskqueue.broker.url=memory://", "taskqueue.broker.ssl.bundle=test-ca",
				"but the broker is in memory");
		assertFailure("taskqueue.backend.url=memory://", "taskqueue.backend.ssl.bundle=test-ca",
				"but the result backend is in memory");
		assertFailure("taskqueue.broker.url=amqps://127.0.0.1:5699/", "taskqueue.backend.url=rpc://",
				"taskqueue.backend.ssl.bundle=test-ca",
				"but rpc:// sends results over the broker's connection: set taskqueue.broker.ssl.* instead");
		this.contextRunner.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class))
			.withPropertyValues(caBundle("test-ca"), "spring.rabbitmq.host=127.0.0.1",
					"taskqueue.broker.ssl.bundle=test-ca")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("but taskqueue.broker.url is not set: configure the TLS of the application's "
						+ "RabbitMQ connection with spring.rabbitmq.ssl.*"));
	}

	@Test
	void bundleAndInsecureTrustAllTogetherFailStartup() {
		assertFailure("taskqueue.broker.url=rediss://127.0.0.1:6390/0", "taskqueue.broker.ssl.bundle=test-ca",
				"taskqueue.broker.ssl.insecure-trust-all=true",
				"taskqueue.broker.ssl.bundle and taskqueue.broker.ssl.insecure-trust-all=true contradict each other");
	}

	private void assertFailure(String... propertiesThenMessage) {
		int last = propertiesThenMessage.length - 1;
		String[] properties = Arrays.copyOf(propertiesThenMessage, last);
		this.contextRunner.withPropertyValues(caBundle("test-ca")).withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(propertiesThenMessage[last]);
		});
	}

	private static String caBundle(String name) {
		return "spring.ssl.bundle.pem." + name + ".truststore.certificate=file:" + certificates.ca();
	}

}
