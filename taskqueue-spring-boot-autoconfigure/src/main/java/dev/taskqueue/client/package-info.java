/**
 * Declarative task clients: interfaces annotated with {@link dev.taskqueue.client.TaskClient}
 * whose methods send tasks by name, to Java or Python workers, made by
 * {@link dev.taskqueue.client.TaskClientProxyFactory} and registered as beans by the
 * auto-configuration or {@link dev.taskqueue.client.EnableTaskClients}. Uses {@code core} to
 * send and {@code control} to check the tasks against the live workers.
 */
@NullMarked
package dev.taskqueue.client;

import org.jspecify.annotations.NullMarked;
