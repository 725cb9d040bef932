/**
 * Celery's task message protocol (v2, and v1 for decoding), result meta and the codecs
 * that turn them into bytes and back. No I/O happens here.
 */
@NullMarked
package dev.taskqueue.protocol;

import org.jspecify.annotations.NullMarked;
