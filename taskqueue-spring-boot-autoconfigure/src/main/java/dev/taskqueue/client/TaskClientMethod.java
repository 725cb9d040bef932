package dev.taskqueue.client;

import org.jspecify.annotations.Nullable;

/**
 * A method of a task client and the task it sends, as the actuator and the start-up
 * verification show it.
 *
 * @param client the client interface's fully qualified name
 * @param method the method, as {@code name(ParameterTypes)}
 * @param task the task it sends, or builds a signature of
 * @param queue the queue it sends to when it names one, else {@code null} (routed)
 */
public record TaskClientMethod(String client, String method, String task, @Nullable String queue) {

}
