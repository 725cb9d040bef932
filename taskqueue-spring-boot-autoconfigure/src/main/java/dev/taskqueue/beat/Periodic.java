package dev.taskqueue.beat;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link dev.taskqueue.core.CeleryTask @CeleryTask} method that takes no arguments
 * periodically, when beat is enabled: a beat entry named after the task, with exactly one of
 * {@link #every()} or {@link #cron()}. An entry of the same name under
 * {@code taskqueue.beat.schedule} replaces it. Beat finds it among the tasks of this
 * application's worker, so it is ignored with {@code taskqueue.worker.enabled=false}; send a
 * task with arguments from a {@link ScheduleEntry} bean instead.
 *
 * <pre class="code">
 * &#64;CeleryTask(name = "reports.cleanup")
 * &#64;Periodic(cron = "0 3 * * *")
 * public void cleanup() {
 *     ...
 * }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Periodic {

	/**
	 * The interval, as Spring Boot reads a duration: {@code 10s}, {@code 5m}, {@code PT5M}.
	 * @return the interval, or empty when {@link #cron()} is set
	 */
	String every() default "";

	/**
	 * Celery's crontab in one string, {@code minute hour day-of-month month day-of-week}, read
	 * in {@code taskqueue.beat.timezone}.
	 * @return the crontab, or empty when {@link #every()} is set
	 */
	String cron() default "";

}
