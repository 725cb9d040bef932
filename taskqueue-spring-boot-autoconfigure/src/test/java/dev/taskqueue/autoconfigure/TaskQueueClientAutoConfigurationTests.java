package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.client.EnableTaskClients;
import dev.taskqueue.client.TaskClientDeclarationException;
import dev.taskqueue.client.TaskClientProxyFactory;
import dev.taskqueue.client.TaskClientVerifier;
import dev.taskqueue.client.invalid.InvalidClient;
import dev.taskqueue.client.meta.MetaAnnotatedClient;
import dev.taskqueue.client.scan.ScanApplication;
import dev.taskqueue.client.scan.ScannedClient;
import dev.taskqueue.client.scan.other.OtherClient;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.test.RecordingTaskOperations;
import dev.taskqueue.test.SentTask;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskQueueClientAutoConfiguration}.
 */
class TaskQueueClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueClientAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void clientsOfTheApplicationsPackagesAreBeansNamedByTheirInterface() {
		this.contextRunner.withUserConfiguration(ScanApplication.class).run((context) -> {
			assertThat(context).hasSingleBean(TaskClientProxyFactory.class)
				.hasSingleBean(ScannedClient.class)
				.hasSingleBean(OtherClient.class)
				.hasBean(ScannedClient.class.getName())
				.hasBean(OtherClient.class.getName())
				.doesNotHaveBean(TaskClientVerifier.class);
			assertThat(context.getBean(TaskClientProxyFactory.class).clientMethods()).extracting("task")
				.containsExactlyInAnyOrder("scanned.echo", "other.ping");
		});
	}

	@Test
	void withoutApplicationPackagesNoClientIsRegistered() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TaskClientProxyFactory.class)
			.doesNotHaveBean(ScannedClient.class));
	}

	@Test
	void enableTaskClientsChoosesTheClientsInsteadOfTheScan() {
		this.contextRunner.withUserConfiguration(ScanApplication.class, OnlyOtherClient.class)
			.run((context) -> assertThat(context).hasSingleBean(OtherClient.class).doesNotHaveBean(ScannedClient.class));
	}

	@Test
	void enableTaskClientsScansTheGivenPackages() {
		this.contextRunner.withUserConfiguration(OtherPackage.class)
			.run((context) -> assertThat(context).hasSingleBean(OtherClient.class).doesNotHaveBean(ScannedClient.class));
	}

	@Test
	void clientsAnnotatedWithAnAnnotationCarryingTaskClientAreFound() {
		this.contextRunner.withUserConfiguration(MetaAnnotatedPackage.class, RecordingConfiguration.class)
			.run((context) -> {
				context.getBean(MetaAnnotatedClient.class).close(7L);
				SentTask sent = context.getBean(RecordingTaskOperations.class).sentOnce("billing.close");
				assertThat(sent.args()).containsExactly(7);
				assertThat(sent.queue()).isEqualTo("billing");
			});
	}

	@Test
	void clientsSendThroughTheRecordingTemplateOfATest() {
		this.contextRunner.withUserConfiguration(ScanApplication.class, RecordingConfiguration.class)
			.run((context) -> {
				AsyncResult<String> result = context.getBean(ScannedClient.class).echo("hi");
				RecordingTaskOperations recording = context.getBean(RecordingTaskOperations.class);
				assertThat(recording.sentOnce("scanned.echo").id()).isEqualTo(result.id());
				assertThat(recording.sentOnce("scanned.echo").args()).containsExactly("hi");
			});
	}

	@Test
	void anInvalidClientFailsTheStartUpNamingTheMethod() {
		this.contextRunner.withUserConfiguration(InvalidClients.class).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause()
				.isInstanceOf(TaskClientDeclarationException.class)
				.hasMessageContaining(InvalidClient.class.getName() + ".invoice(long, long) is invalid")
				.hasMessageContaining("parameters customerId and id both send the keyword argument 'id'");
			FailureAnalysis analysis = new TaskClientDeclarationFailureAnalyzer().analyze(failure);
			assertThat(analysis.getDescription()).contains(InvalidClient.class.getName() + ".invoice(long, long)");
			assertThat(analysis.getAction()).startsWith("Fix the declaration of " + InvalidClient.class.getName()
					+ ".invoice(long, long).")
				.contains("one parameter per keyword argument");
		});
	}

	@Test
	void verifyWithoutRemoteControlHasNoVerifier() {
		this.contextRunner.withUserConfiguration(ScanApplication.class)
			.withPropertyValues("taskqueue.client.verify=true")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskClientVerifier.class)
				.hasSingleBean(TaskClientReadyCheck.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTaskClients(clients = OtherClient.class)
	static class OnlyOtherClient {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTaskClients(basePackageClasses = OtherClient.class)
	static class OtherPackage {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTaskClients(basePackageClasses = MetaAnnotatedClient.class)
	static class MetaAnnotatedPackage {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTaskClients(clients = InvalidClient.class)
	static class InvalidClients {

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingConfiguration {

		@Bean
		RecordingTaskOperations taskOperations() {
			return new RecordingTaskOperations();
		}

	}

}
