/**
 * Micrometer observations of publishing and running tasks: their contexts, conventions and
 * documentation. With Micrometer Tracing, the trace travels in the task message's headers
 * ({@code traceparent}, {@code tracestate}) where OpenTelemetry's Celery instrumentation
 * puts them, so a trace goes on from Python to Java and back.
 */
@NullMarked
package dev.taskqueue.observation;

import org.jspecify.annotations.NullMarked;
