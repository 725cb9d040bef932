/**
 * The result backend SPI: store task states and results, read them, wait for updates.
 * Implementations live in sub-packages.
 */
@NullMarked
package dev.taskqueue.backend;

import org.jspecify.annotations.NullMarked;
