package dev.taskqueue.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks an interface as a task client: each of its abstract methods sends a task by name, to
 * a Java or a Python worker, the way {@code @HttpExchange} interfaces call HTTP services. The
 * return type chooses the style: the result itself (send and wait), {@code AsyncResult<T>}
 * (send), {@code CompletableFuture<T>} (send, the result later), {@code void} (send, no
 * result) or {@code Signature} (build, do not send).
 *
 * <pre class="code">
 * &#64;TaskClient(prefix = "billing", queue = "billing", timeout = "30s")
 * interface Billing {
 *
 *     Invoice invoice(long customerId, &#64;Kwarg("amount") BigDecimal amount);   // sends billing.invoice
 *
 *     &#64;TaskMethod(name = "billing.reports.monthly", countdown = "5m")
 *     AsyncResult&lt;List&lt;Line&gt;&gt; monthlyReport(YearMonth month, TaskOptions options);
 *
 * }
 * </pre>
 * Interfaces in the application's packages are found and registered as beans by the
 * auto-configuration; {@link EnableTaskClients} names other packages, and
 * {@link TaskClientProxyFactory} makes clients by hand. String attributes may hold
 * {@code ${...}} placeholders; durations are seconds as in Celery ({@code 30}, {@code 0.5}),
 * a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}) or ISO-8601 ({@code PT30S}).
 *
 * @see TaskMethod
 * @see Kwarg
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskClient {

	/**
	 * Alias for {@link #prefix()}.
	 * @return the task name prefix
	 */
	@AliasFor("prefix")
	String value() default "";

	/**
	 * The prefix of the task names of methods that name none: a method {@code invoice} of a
	 * client with prefix {@code billing} sends {@code billing.invoice}. Without a prefix, the
	 * method name alone is the task name.
	 * @return the task name prefix
	 */
	@AliasFor("value")
	String prefix() default "";

	/**
	 * The queue the tasks are sent to, instead of the routed one; empty to route them by the
	 * application's {@code taskqueue.routes}.
	 * @return the queue name
	 */
	String queue() default "";

	/**
	 * How long methods that return the result itself, or a {@code CompletableFuture}, wait for
	 * it; empty for {@code taskqueue.client.default-timeout}.
	 * @return the timeout, such as {@code 30s}
	 */
	String timeout() default "";

	/**
	 * Whether parameters are sent as keyword arguments, named as the parameters are (the build
	 * must compile with {@code -parameters}, as Spring Boot's does), rather than positionally.
	 * @return whether every parameter is a keyword argument
	 */
	boolean kwargs() default false;

}
