package dev.taskqueue.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sends a {@link TaskClient} method's parameter as a keyword argument rather than
 * positionally: {@code @Kwarg("amount") BigDecimal amount} becomes Python's
 * {@code amount=...}. A parameter whose value is {@code null} is sent as {@code None}; leave
 * the parameter out, in an overload naming the same task, to let the Python default apply.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Kwarg {

	/**
	 * The keyword; empty for the parameter's own name (compiled with {@code -parameters}).
	 * @return the keyword
	 */
	String value() default "";

}
