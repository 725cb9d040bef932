/**
 * Where a task message goes: queues, exchanges, routing keys and the rules that pick them.
 */
@NullMarked
package dev.taskqueue.routing;

import org.jspecify.annotations.NullMarked;
