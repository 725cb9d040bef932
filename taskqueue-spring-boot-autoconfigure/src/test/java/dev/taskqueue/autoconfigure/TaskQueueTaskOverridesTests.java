package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.TaskSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code taskqueue.tasks.*} (Celery's {@code task_annotations}) and the
 * {@code taskqueue.task.*} defaults of task settings.
 */
class TaskQueueTaskOverridesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class,
				TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
		.withUserConfiguration(Tasks.class)
		.withPropertyValues("taskqueue.worker.auto-startup=false");

	@Test
	void globalDefaultsApplyUnlessTheTaskDeclaresOtherwise() {
		this.contextRunner
			.withPropertyValues("taskqueue.task.time-limit=60", "taskqueue.task.soft-time-limit=50s",
					"taskqueue.task.track-started=true", "taskqueue.task.acks-late=false")
			.run((context) -> {
				TaskSettings report = settings(context.getBean(TaskRegistry.class), "billing.report");
				assertThat(report.timeLimit()).isEqualTo(Duration.ofSeconds(60));
				assertThat(report.softTimeLimit()).isEqualTo(Duration.ofSeconds(50));
				assertThat(report.trackStarted()).isTrue();
				assertThat(report.acksLate()).isFalse();
				TaskSettings invoice = settings(context.getBean(TaskRegistry.class), "billing.invoice");
				assertThat(invoice.timeLimit()).as("declared").isEqualTo(Duration.ofSeconds(5));
				assertThat(invoice.acksLate()).as("declared").isTrue();
			});
	}

	@Test
	void overridesByGlobAndNameWinOverTheAnnotation() {
		this.contextRunner
			.withPropertyValues("taskqueue.tasks[billing.*].rate-limit=100/m", "taskqueue.tasks[billing.*].max-retries=9",
					"taskqueue.tasks[billing.invoice].time-limit=2m", "taskqueue.tasks[billing.invoice].queue=invoices",
					"taskqueue.tasks[billing.invoice].ignore-result=true")
			.run((context) -> {
				TaskRegistry registry = context.getBean(TaskRegistry.class);
				TaskSettings invoice = settings(registry, "billing.invoice");
				assertThat(invoice.rateLimit()).hasToString("100/m");
				assertThat(invoice.retry().maxRetries()).isEqualTo(9);
				assertThat(invoice.timeLimit()).isEqualTo(Duration.ofMinutes(2));
				assertThat(invoice.ignoreResult()).isTrue();
				assertThat(context.getBean(TaskRouter.class).route("billing.invoice", null))
					.isEqualTo(Destination.queue("invoices"));
				assertThat(settings(registry, "billing.report").rateLimit()).hasToString("100/m");
			});
	}

	@Test
	void invalidRateLimitFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.tasks[billing.*].rate-limit=fast")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("taskqueue.tasks[billing.*].rate-limit"));
	}

	@Test
	void negativeTimeLimitFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.tasks[billing.invoice].time-limit=-5s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("taskqueue.tasks[billing.invoice].time-limit"));
	}

	private static TaskSettings settings(TaskRegistry registry, String name) {
		return registry.find(name).settings();
	}

	@Configuration(proxyBeanMethods = false)
	static class Tasks {

		@Bean
		Billing billing() {
			return new Billing();
		}

	}

	static class Billing {

		@CeleryTask(name = "billing.invoice", timeLimit = "5", acksLate = "true")
		void invoice() {
		}

		@CeleryTask(name = "billing.report")
		void report() {
		}

	}

}
