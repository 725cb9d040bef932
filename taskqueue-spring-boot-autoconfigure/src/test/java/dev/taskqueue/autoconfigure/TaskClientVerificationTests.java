package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.actuate.TaskQueueDescriptor.ClientsDescriptor;
import dev.taskqueue.actuate.TaskQueueEndpoint;
import dev.taskqueue.autoconfigure.actuate.TaskQueueEndpointAutoConfiguration;
import dev.taskqueue.client.EnableTaskClients;
import dev.taskqueue.client.TaskClientMethod;
import dev.taskqueue.client.TaskClientVerification;
import dev.taskqueue.client.TaskClientVerifier;
import dev.taskqueue.client.queued.QueuedClient;
import dev.taskqueue.client.scan.other.OtherClient;
import dev.taskqueue.core.CeleryTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@code taskqueue.client.verify}: once the application is ready, the workers on
 * Redis are asked which tasks they register, and the client methods whose task none
 * registers are logged and shown by the actuator. Redis DB 2, control exchange of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskClientVerificationTests {

	private ConfigurableApplicationContext context;

	private ConfigurableApplicationContext lateWorker;

	@AfterEach
	void close() {
		if (this.lateWorker != null) {
			this.lateWorker.close();
		}
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void clientMethodsWhoseTaskNoWorkerRegistersAreReported(CapturedOutput output) {
		this.context = start(true);
		TaskClientVerification verification = awaitVerification();
		assertThat(verification.workers()).containsExactly("verify@test");
		assertThat(verification.methods()).isEqualTo(1);
		assertThat(verification.missing()).singleElement()
			.isEqualTo(new TaskClientMethod(OtherClient.class.getName(), "ping()", "other.ping", null));
		assertThat(verification.verified()).isFalse();
		assertThat(output).contains("Task client methods whose task no live worker registers (asked [verify@test]): "
				+ OtherClient.class.getName() + ".ping() -> other.ping");
		ClientsDescriptor clients = this.context.getBean(TaskQueueEndpoint.class).taskQueue().clients();
		assertThat(clients).isNotNull();
		assertThat(clients.methods()).extracting(TaskClientMethod::task).containsExactly("other.ping");
		assertThat(clients.verification()).isEqualTo(verification);
	}

	@Test
	void clientsWhoseTasksAWorkerRegistersAreVerified(CapturedOutput output) {
		this.context = start(true, PingTasks.class);
		TaskClientVerification verification = awaitVerification();
		assertThat(verification.missing()).isEmpty();
		assertThat(verification.unconsumed()).isEmpty();
		assertThat(verification.verified()).isTrue();
		assertThat(output).contains("Task clients verified: the tasks of all 1 client methods are registered by"
				+ " [verify@test]");
	}

	@Test
	void aQueueNoWorkerRegisteringTheTaskConsumesIsReported(CapturedOutput output) {
		this.context = start(true, QueuedClients.class, PingTasks.class);
		TaskClientVerification verification = awaitVerification();
		assertThat(verification.missing()).isEmpty();
		assertThat(verification.unconsumed()).singleElement()
			.isEqualTo(new TaskClientMethod(QueuedClient.class.getName(), "echo(String)", "verify.echo",
					"nobody-consumes-this"));
		assertThat(verification.verified()).isFalse();
		assertThat(output).contains("Task client methods whose queue no live worker registering their task consumes"
				+ " (asked [verify@test]): " + QueuedClient.class.getName()
				+ ".echo(String) -> verify.echo on queue nobody-consumes-this");
	}

	@Test
	void noAnswerLeavesTheClientsUnverifiedAndSaysSo(CapturedOutput output) {
		this.context = start(false);
		TaskClientVerification verification = awaitVerification();
		assertThat(verification.workers()).isEmpty();
		assertThat(verification.missing()).isEmpty();
		assertThat(verification.verified()).isFalse();
		assertThat(output).contains("Task clients not verified: no worker answered 'inspect registered' within"
				+ " PT0.3S; 1 client methods unchecked");
	}

	@Test
	void withAnIntervalWorkersStartedLaterAreSeen(CapturedOutput output) {
		this.context = start(false, new String[] { "taskqueue.client.verify-interval=200ms" });
		TaskClientVerifier verifier = this.context.getBean(TaskClientVerifier.class);
		assertThat(awaitVerification().workers()).isEmpty();
		this.lateWorker = start(true, new String[] { "taskqueue.worker.hostname=verify-late@test",
				"taskqueue.client.verify=false" }, PingTasks.class);
		TaskClientVerification later = await().atMost(Duration.ofSeconds(10))
			.until(verifier::lastVerification, (last) -> last != null && last.verified());
		assertThat(later.workers()).containsExactly("verify-late@test");
		assertThat(output).contains("Task clients not verified: no worker answered")
			.contains("Task clients verified: the tasks of all 1 client methods are registered by [verify-late@test]");
	}

	private TaskClientVerification awaitVerification() {
		TaskClientVerifier verifier = this.context.getBean(TaskClientVerifier.class);
		return await().atMost(Duration.ofSeconds(10)).until(verifier::lastVerification, (last) -> last != null);
	}

	private static ConfigurableApplicationContext start(boolean worker, Class<?>... sources) {
		return start(worker, new String[0], sources);
	}

	private static ConfigurableApplicationContext start(boolean worker, String[] properties, Class<?>... sources) {
		return new SpringApplicationBuilder(VerifyApplication.class).sources(sources)
			.web(WebApplicationType.NONE)
			.properties("taskqueue.broker.url=redis://127.0.0.1:6379/2", "taskqueue.backend.url=redis://127.0.0.1:6379/2",
					"taskqueue.default-queue=client-verify", "taskqueue.control.exchange=client-verify",
					"taskqueue.worker.hostname=verify@test", "taskqueue.worker.enabled=" + worker,
					"taskqueue.client.verify=true", "taskqueue.client.verify-timeout=300ms",
					"management.endpoints.web.exposure.include=taskqueue")
			.properties(properties)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class,
			TaskQueueControlAutoConfiguration.class, TaskQueueClientAutoConfiguration.class,
			TaskQueueEndpointAutoConfiguration.class })
	@EnableTaskClients(clients = OtherClient.class)
	static class VerifyApplication {

		@Bean
		EchoTasks echoTasks() {
			return new EchoTasks();
		}

	}

	static class EchoTasks {

		@CeleryTask(name = "verify.echo")
		String echo(String text) {
			return text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTaskClients(clients = QueuedClient.class)
	static class QueuedClients {

	}

	@Configuration(proxyBeanMethods = false)
	static class PingTasks {

		@CeleryTask(name = "other.ping")
		void ping() {
		}

	}

}
