package dev.taskqueue.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.Operation;
import org.springframework.boot.actuate.endpoint.OperationFilter;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.MergedAnnotations;

import dev.taskqueue.actuate.TaskQueueDescriptor.BeatDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.BeatEntryDescriptor;
import dev.taskqueue.actuate.TaskQueueDescriptor.BeatRunDescriptor;
import dev.taskqueue.actuate.TaskQueueEndpoint;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueBeatAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.CeleryTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for beat in the {@link TaskQueueEndpoint}: the entries with their last and next
 * ticks and the leadership, and the write operation that runs an entry now, which the web
 * exposes only once the endpoint's access is unrestricted. On the in-memory broker, where
 * this instance always leads.
 */
class TaskQueueEndpointBeatTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueBeatAutoConfiguration.class,
				TaskQueueEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=taskqueue", "taskqueue.beat.enabled=true",
				"taskqueue.beat.schedule.hourly.task=sample.beat", "taskqueue.beat.schedule.hourly.every=1h")
		.withBean(Tasks.class);

	@Test
	void beatShowsTheEntriesTheirTicksAndTheLeadership() {
		this.contextRunner.run((context) -> {
			TaskQueueEndpoint endpoint = context.getBean(TaskQueueEndpoint.class);
			await().atMost(WAIT).until(() -> endpoint.taskQueue().beat().leader());
			BeatDescriptor beat = endpoint.taskQueue().beat();
			assertThat(beat.entries()).hasSize(1);
			BeatEntryDescriptor entry = beat.entries().get(0);
			assertThat(entry.name()).isEqualTo("hourly");
			assertThat(entry.task()).isEqualTo("sample.beat");
			assertThat(entry.schedule()).isEqualTo("every PT1H");
			assertThat(Instant.parse(entry.nextRun())).isEqualTo(Instant.parse(entry.lastRun()).plus(Duration.ofHours(1)));
		});
	}

	@Test
	void beatIsAbsentWhenNotEnabled() {
		this.contextRunner.withPropertyValues("taskqueue.beat.enabled=false").run((context) -> {
			TaskQueueEndpoint endpoint = context.getBean(TaskQueueEndpoint.class);
			assertThat(endpoint.taskQueue().beat()).isNull();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.runBeatEntry("hourly"))
				.withMessageContaining("taskqueue.beat.enabled");
		});
	}

	@Test
	void runBeatEntrySendsTheTaskNow() {
		this.contextRunner.run((context) -> {
			BeatRunDescriptor run = context.getBean(TaskQueueEndpoint.class).runBeatEntry("hourly");
			assertThat(run.entry()).isEqualTo("hourly");
			assertThat(run.taskId()).isNotBlank();
			Tasks tasks = context.getBean(Tasks.class);
			await().atMost(WAIT).until(() -> tasks.runs.get() == 1);
		});
	}

	@Test
	void runBeatEntryRefusesAnUnknownEntry() {
		this.contextRunner.run((context) -> assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> context.getBean(TaskQueueEndpoint.class).runBeatEntry("nightly"))
			.withMessageContaining("nightly"));
	}

	@Test
	void runBeatEntryIsOffUntilAccessIsUnrestricted() {
		Access defaultAccess = MergedAnnotations.from(TaskQueueEndpoint.class)
			.get(Endpoint.class)
			.getEnum("defaultAccess", Access.class);
		assertThat(defaultAccess).isEqualTo(Access.READ_ONLY);
		this.contextRunner.run((context) -> {
			assertThat(allowed(context, OperationType.READ, defaultAccess)).isTrue();
			assertThat(allowed(context, OperationType.WRITE, defaultAccess)).isFalse();
		});
		this.contextRunner.withPropertyValues("management.endpoint.taskqueue.access=UNRESTRICTED")
			.run((context) -> assertThat(allowed(context, OperationType.WRITE, defaultAccess)).isTrue());
	}

	/** Whether Spring Boot's filter of operations by access lets an operation through. */
	private static boolean allowed(AssertableApplicationContext context, OperationType type, Access defaultAccess) {
		OperationFilter<Operation> filter = OperationFilter.byAccess(context.getBean(EndpointAccessResolver.class));
		return filter.match(new TypedOperation(type), EndpointId.of("taskqueue"), defaultAccess);
	}

	private static final class TypedOperation implements Operation {

		private final OperationType type;

		TypedOperation(OperationType type) {
			this.type = type;
		}

		@Override
		public OperationType getType() {
			return this.type;
		}

		@Override
		public Object invoke(InvocationContext context) {
			throw new UnsupportedOperationException();
		}

	}

	static class Tasks {

		final AtomicInteger runs = new AtomicInteger();

		@CeleryTask(name = "sample.beat")
		void beat() {
			this.runs.incrementAndGet();
		}

	}

}
