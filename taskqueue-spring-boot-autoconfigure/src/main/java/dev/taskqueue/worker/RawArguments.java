package dev.taskqueue.worker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a task method that takes its message's arguments as they came, Python's
 * {@code (*args, **kwargs)}: {@code (List<Object> args, Map<String, Object> kwargs,
 * TaskContext context)}. For Celery's built-in tasks, whose arguments Java parameters cannot
 * describe.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface RawArguments {

}
