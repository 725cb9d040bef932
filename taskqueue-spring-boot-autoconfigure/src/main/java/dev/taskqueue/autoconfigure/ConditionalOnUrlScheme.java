package dev.taskqueue.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the URL in the given property has one of the given schemes, or, with
 * {@link #matchIfMissing()}, when the property is not set.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnUrlSchemeCondition.class)
@interface ConditionalOnUrlScheme {

	/**
	 * The property holding the URL, such as {@code taskqueue.broker.url}.
	 * @return the property name
	 */
	String property();

	/**
	 * The schemes that match.
	 * @return the matching schemes
	 */
	String[] schemes();

	/**
	 * Whether an unset (or blank) property matches.
	 * @return whether a missing property matches
	 */
	boolean matchIfMissing() default false;

}
