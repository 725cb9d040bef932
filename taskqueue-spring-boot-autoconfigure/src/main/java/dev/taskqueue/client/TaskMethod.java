package dev.taskqueue.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Names the task a {@link TaskClient} method sends and sets its {@code apply_async} options.
 * Optional: a method without it sends the client's prefix plus its own name, with the
 * client's options. Options given here win over the client's; a
 * {@link dev.taskqueue.core.TaskOptions} parameter wins over both, call by call. Durations are
 * seconds as in Celery ({@code 30}, {@code 0.5}), a number with a unit ({@code 500ms},
 * {@code 30s}, {@code 5m}) or ISO-8601 ({@code PT30S}); every attribute may hold {@code ${...}}
 * placeholders.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskMethod {

	/**
	 * Alias for {@link #name()}.
	 * @return the task name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The task name, such as {@code billing.invoice}; empty for the client's prefix plus the
	 * method name.
	 * @return the task name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * The queue to send to, instead of the client's or the routed one.
	 * @return the queue name, or empty
	 */
	String queue() default "";

	/**
	 * How long after sending the task runs at the earliest.
	 * @return the countdown, or empty
	 */
	String countdown() default "";

	/**
	 * How long after sending the task expires: a worker that gets it later stores REVOKED.
	 * @return the expiry, or empty
	 */
	String expires() default "";

	/**
	 * The message priority, 0 to 255; -1 for none.
	 * @return the priority
	 */
	int priority() default -1;

	/**
	 * The hard time limit of the run, sent in the {@code timelimit} header.
	 * @return the time limit, or empty
	 */
	String timeLimit() default "";

	/**
	 * The soft time limit of the run, sent in the {@code timelimit} header.
	 * @return the soft time limit, or empty
	 */
	String softTimeLimit() default "";

	/**
	 * Whether the worker is asked not to store the result.
	 * @return whether the result is ignored
	 */
	boolean ignoreResult() default false;

	/**
	 * How long the method waits for the result, instead of the client's timeout; only for
	 * methods that return the result itself or a {@code CompletableFuture}.
	 * @return the timeout, or empty
	 */
	String timeout() default "";

	/**
	 * Whether the parameters are sent as keyword arguments named as the parameters are; see
	 * {@link TaskClient#kwargs()}.
	 * @return whether every parameter is a keyword argument
	 */
	boolean kwargs() default false;

}
