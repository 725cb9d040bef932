package dev.taskqueue.client.meta;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.taskqueue.client.TaskClient;

/**
 * An application's own annotation for its billing clients, carrying {@code @TaskClient}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TaskClient(prefix = "billing", queue = "billing")
public @interface BillingTasks {

}
