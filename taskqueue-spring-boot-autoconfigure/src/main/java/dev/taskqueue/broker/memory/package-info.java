/**
 * A broker held in this JVM ({@code memory://}), for the sample's zero-setup default and fast
 * tests. Messages are kept encoded, so the codec runs as it would on a real broker.
 */
@NullMarked
package dev.taskqueue.broker.memory;

import org.jspecify.annotations.NullMarked;
