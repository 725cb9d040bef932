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
	 * worker dies is delivered again (Celery's {@code acks_late}): {@code "true"},
	 * {@code "false"}, a placeholder, or empty for {@code taskqueue.task.acks-late} (true by
	 * default, unlike Celery's).
	 * @return whether acknowledgement is late, or empty for the default
	 */
	String acksLate() default "";

	/**
	 * Whether a task whose worker died while running it runs again when its message comes back
	 * (Celery's {@code reject_on_worker_lost}): {@code "true"}, {@code "false"} (it ends FAILURE
	 * with {@code WorkerLostError} instead), a placeholder, or empty for
	 * {@code taskqueue.task.reject-on-worker-lost}. Only tasks that acknowledge late can be
	 * delivered again.
	 * @return whether the task runs again, or empty for the default
	 */
	String rejectOnWorkerLost() default "";

	/**
	 * How many times the task may be retried (Celery's {@code max_retries}), {@code -1} for no
	 * limit. A retry past it ends the task FAILURE with the retry's exception, or
	 * {@code MaxRetriesExceededError} when it gave none.
	 * @return the most retries
	 */
	int maxRetries() default 3;

	/**
	 * How long a retry waits when it names no countdown or ETA (Celery's
	 * {@code default_retry_delay}): a number of seconds as in Celery, or a duration such as
	 * {@code 500ms}, {@code 3m} or {@code PT3M}. Empty means Celery's 180 seconds.
	 * @return the delay
	 */
	String defaultRetryDelay() default "";

	/**
	 * Exceptions on which the task is retried by itself, as if it had thrown
	 * {@code context.retry().exception(ex)} (Celery's {@code autoretry_for}). Subclasses match.
	 * @return the exception types
	 */
	Class<? extends Throwable>[] autoretryFor() default {};

	/**
	 * Exceptions excluded from {@link #autoretryFor()} (Celery's {@code dont_autoretry_for}).
	 * @return the exception types
	 */
	Class<? extends Throwable>[] dontAutoretryFor() default {};

	/**
	 * Exponential backoff of automatic retries (Celery's {@code retry_backoff}): the first
	 * retry waits this many seconds, each next one twice as long, at most
	 * {@link #retryBackoffMax()}. {@code 0}, the default, waits {@link #defaultRetryDelay()};
	 * {@code 1} is Celery's {@code retry_backoff=True}.
	 * @return the backoff factor in seconds
	 */
	int retryBackoff() default 0;

	/**
	 * The longest backoff of automatic retries (Celery's {@code retry_backoff_max}), a number of
	 * seconds or a duration. Empty means Celery's 600 seconds.
	 * @return the longest backoff
	 */
	String retryBackoffMax() default "";

	/**
	 * Whether a backoff is replaced by a random delay between zero and itself, so that tasks
	 * failing together do not retry together (Celery's {@code retry_jitter}).
	 * @return whether backoffs are jittered
	 */
	boolean retryJitter() default true;

	/**
	 * How long the task may run before it fails with {@code TimeLimitExceeded} and its thread,
	 * interrupted, is abandoned: a JVM cannot stop a thread (Celery's {@code time_limit}). A
	 * number of seconds or a duration. Empty means {@code taskqueue.task.time-limit}. A
	 * message's {@code timelimit} header wins.
	 * @return the hard time limit
	 */
	String timeLimit() default "";

	/**
	 * How long the task may run before its thread is interrupted so that it can clean up
	 * (Celery's {@code soft_time_limit}): a number of seconds or a duration. Empty means
	 * {@code taskqueue.task.soft-time-limit}. A message's {@code timelimit} header wins.
	 * @return the soft time limit
	 */
	String softTimeLimit() default "";

	/**
	 * How often the task may start (Celery's {@code rate_limit}): {@code "10/s"},
	 * {@code "100/m"}, {@code "1000/h"}, or a number per second. Empty means no limit. Tasks
	 * over the limit wait without holding a pool thread or blocking other tasks.
	 * @return the rate limit
	 */
	String rateLimit() default "";

	/**
	 * Whether {@link #rateLimit()} holds per worker, as in Celery, or across all workers.
	 * {@link RateLimitScope#CLUSTER} counts in Redis, so it needs a Redis broker or result
	 * backend; without one the worker does not start.
	 * @return the scope of the rate limit
	 */
	RateLimitScope rateLimitScope() default RateLimitScope.WORKER;

}
