/**
 * Beat with the in-memory broker: one instance, which always leads, and last ticks kept in
 * memory only.
 */
@NullMarked
package dev.taskqueue.beat.memory;

import org.jspecify.annotations.NullMarked;
