package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;

import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.TaskFailedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests that publishing and running a task are observed, and that with Micrometer Tracing
 * the trace travels in the message's {@code traceparent} header from the sender to the
 * worker.
 */
class WorkerObservationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final SimpleTracer tracer = new SimpleTracer();

	private final WorkerFixture fixture = new WorkerFixture(1);

	WorkerObservationTests() {
		ObservationRegistry registry = ObservationRegistry.create();
		Propagator propagator = new TraceparentPropagator(this.tracer);
		registry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
					new DefaultTracingObservationHandler(this.tracer)));
		this.fixture.template.setObservationRegistry(registry, null);
		this.fixture.worker.setObservationRegistry(registry, null);
		this.fixture.start();
	}

	@AfterEach
	void stop() {
		this.fixture.close();
	}

	@Test
	void theWorkersRunContinuesTheTraceOfThePublishThroughTheTraceparentHeader() {
		AsyncResult<Object> result = this.fixture.template.send("t.add", 2, 3);
		assertThat(result.get(TIMEOUT)).isEqualTo(5);
		SimpleSpan publish = span("apply_async/t.add");
		SimpleSpan run = span("run/t.add");
		assertThat(publish.getTags()).containsEntry("taskqueue.task", "t.add")
			.containsEntry("taskqueue.routing_key", "celery")
			.containsEntry("taskqueue.task_id", result.id());
		assertThat(run.getTraceId()).isEqualTo(publish.getTraceId());
		assertThat(run.getParentId()).isEqualTo(publish.getSpanId());
		assertThat(run.getTags()).containsEntry("taskqueue.state", "SUCCESS").containsEntry("taskqueue.queue", "celery");
	}

	@Test
	void aFailedRunIsObservedWithItsErrorAndState() {
		AsyncResult<Object> result = this.fixture.template.send("t.fail", "boom");
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> result.get(TIMEOUT));
		SimpleSpan run = span("run/t.fail");
		assertThat(run.getTags()).containsEntry("taskqueue.state", "FAILURE");
		assertThat(run.getError()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
	}

	private SimpleSpan span(String name) {
		return await().atMost(TIMEOUT)
			.until(() -> this.tracer.getSpans().stream().filter((span) -> name.equals(span.getName())).findFirst(),
					(found) -> found.isPresent())
			.orElseThrow();
	}

	/** W3C's traceparent header, enough of it for the simple tracer. */
	private record TraceparentPropagator(SimpleTracer tracer) implements Propagator {

		@Override
		public List<String> fields() {
			return List.of("traceparent");
		}

		@Override
		public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
			setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
		}

		@Override
		public <C> Span.Builder extract(C carrier, Getter<C> getter) {
			String traceparent = getter.get(carrier, "traceparent");
			if (traceparent == null) {
				return this.tracer.spanBuilder();
			}
			String[] parts = traceparent.split("-");
			return this.tracer.spanBuilder()
				.setParent(this.tracer.traceContextBuilder().traceId(parts[1]).spanId(parts[2]).sampled(true).build());
		}

	}

}
