/**
 * The benchmark: publish rate, drain rate and round-trip latency through the auto-configured
 * template and worker, as an application uses them.
 */
@NullMarked
package dev.taskqueue.bench;

import org.jspecify.annotations.NullMarked;
