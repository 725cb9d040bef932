/**
 * A result backend held in this JVM, for the sample's zero-setup default and fast tests.
 */
@NullMarked
package dev.taskqueue.backend.memory;

import org.jspecify.annotations.NullMarked;
