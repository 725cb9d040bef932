/**
 * Canvas on the wire: Celery's signature objects, and applying them (task, chain, group,
 * chord) as task messages, from a client or from a worker that continues a workflow.
 */
@NullMarked
package dev.taskqueue.canvas;

import org.jspecify.annotations.NullMarked;
