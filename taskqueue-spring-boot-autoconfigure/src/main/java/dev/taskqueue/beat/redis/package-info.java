/**
 * Beat on Redis: the leader's lease in a string key that expires, the last ticks in a hash.
 */
@NullMarked
package dev.taskqueue.beat.redis;

import org.jspecify.annotations.NullMarked;
