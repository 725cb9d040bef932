package dev.taskqueue.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.worker.TaskRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@code @CeleryTask} attributes with placeholders and SpEL, and for the queues they
 * declare reaching the router, the auto-configured one or the application's own.
 */
class CeleryTaskAnnotationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class,
				TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.auto-startup=false");

	@Test
	void placeholderInNameAndQueueResolves() {
		this.contextRunner.withUserConfiguration(PlaceholderTasks.class)
			.withPropertyValues("app.tasks.prefix=billing", "app.tasks.queue=invoices")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(TaskRegistry.class).names()).contains("billing.add");
				assertThat(context.getBean(TaskRouter.class).route("billing.add", null))
					.isEqualTo(Destination.queue("invoices"));
			});
	}

	@Test
	void spelInNameAndQueueIsEvaluated() {
		this.contextRunner.withUserConfiguration(SpelTasks.class)
			.withPropertyValues("app.tasks.queue=Reports")
			.run((context) -> {
				assertThat(context.getBean(TaskRegistry.class).names()).containsExactly("spel.multiply");
				assertThat(context.getBean(TaskRouter.class).route("spel.multiply", null))
					.isEqualTo(Destination.queue("reports"));
			});
	}

	@Test
	void unresolvablePlaceholderFailsStartupNamingBeanAndMethod() {
		this.contextRunner.withUserConfiguration(PlaceholderTasks.class)
			.withPropertyValues("app.tasks.queue=invoices")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("app.tasks.prefix"));
		this.contextRunner.withUserConfiguration(PlaceholderTasks.class)
			.withPropertyValues("app.tasks.queue=invoices")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"Cannot resolve name '${app.tasks.prefix}.add' of @CeleryTask on bean "
							+ "'celeryTaskAnnotationTests.PlaceholderTasks', "
							+ "method PlaceholderTasks.add"));
	}

	@Test
	void unresolvedPlaceholderFailsWithoutAStrictResolverToo() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
			.withPropertyValues("taskqueue.worker.auto-startup=false", "app.tasks.queue=invoices")
			.withUserConfiguration(PlaceholderTasks.class)
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("unresolved placeholder in '${app.tasks.prefix}.add'"));
	}

	@Test
	void customRouterReceivesTheDeclaredQueues() {
		this.contextRunner.withUserConfiguration(PlaceholderTasks.class, CustomRouterConfiguration.class)
			.withPropertyValues("app.tasks.prefix=billing", "app.tasks.queue=invoices")
			.run((context) -> {
				assertThat(context.getBean(TaskRouter.class)).isInstanceOf(RecordingRouter.class);
				RecordingRouter router = context.getBean(RecordingRouter.class);
				assertThat(router.registered).containsExactly(entry("billing.add", "invoices"));
				assertThat(router.route("billing.add", null)).isEqualTo(Destination.queue("invoices"));
			});
	}

	@Test
	void defaultRouterStillRoutesToTheAnnotatedQueue() {
		this.contextRunner.withUserConfiguration(PlaceholderTasks.class)
			.withPropertyValues("app.tasks.prefix=billing", "app.tasks.queue=invoices")
			.run((context) -> {
				TaskRouter router = context.getBean(TaskRouter.class);
				assertThat(router.route("billing.add", null)).isEqualTo(Destination.queue("invoices"));
				assertThat(router.route("billing.add", "urgent")).isEqualTo(Destination.queue("urgent"));
				assertThat(router.route("other.task", null)).isEqualTo(Destination.queue("celery"));
			});
	}

	static class PlaceholderTasks {

		@CeleryTask(name = "${app.tasks.prefix}.add", queue = "${app.tasks.queue}")
		int add(int x, int y) {
			return x + y;
		}

	}

	static class SpelTasks {

		@CeleryTask(name = "#{'spel.' + 'multiply'}", queue = "#{'${app.tasks.queue}'.toLowerCase()}")
		int multiply(int x, int y) {
			return x * y;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomRouterConfiguration {

		@Bean
		RecordingRouter recordingRouter() {
			return new RecordingRouter();
		}

	}

	/** A router of the application's own, routing by the queues it is told of. */
	static class RecordingRouter implements TaskRouter {

		final Map<String, String> registered = new ConcurrentHashMap<>();

		@Override
		public Destination route(String taskName, @Nullable String queue) {
			return Destination.queue((queue != null) ? queue : this.registered.getOrDefault(taskName, "default"));
		}

		@Override
		public void registerTaskQueue(String taskName, String queue) {
			this.registered.put(taskName, queue);
		}

	}

}
