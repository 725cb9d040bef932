package dev.taskqueue.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as a Celery task that this application's worker runs.
 * Positional arguments bind to the parameters in order, keyword arguments by parameter name
 * (compile with {@code -parameters}); values are converted to the parameter types. A parameter
 * of type {@link TaskContext} receives the running task's context.
 *
 * <pre class="code">
 * &#64;CeleryTask(name = "tasks.add")
 * public int add(int x, int y) {
 *     return x + y;
 * }
 * </pre>
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CeleryTask {

	/**
	 * The task name. Defaults to the declaring class' fully qualified name, a dot and the method
	 * name, as Celery names a function by module and name. May hold {@code ${...}} placeholders
	 * and {@code #{...}} SpEL expressions, resolved at start-up.
	 * @return the task name
	 */
	String name() default "";

	/**
	 * The queue the task is sent to when the sender names none. Defaults to the default queue.
	 * May hold {@code ${...}} placeholders and {@code #{...}} SpEL expressions, resolved at
	 * start-up; the queue is handed to every {@code TaskRouter} bean.
	 * @return the queue name
	 */
	String queue() default "";

	/**
	 * Whether the worker skips storing the result (Celery's {@code ignore_result}).
	 * @return whether results are ignored
	 */
	boolean ignoreResult() default false;

	/**
	 * Whether the worker stores STARTED when the task begins (Celery's {@code track_started}).
	 * @return whether the start is tracked
	 */
	boolean trackStarted() default false;

	/**
	 * Whether the message is acknowledged only after the task finished, so that a task whose
	 * worker dies is delivered again (Celery's {@code acks_late}).
	 * @return whether acknowledgement is late
	 */
	boolean acksLate() default false;

}
