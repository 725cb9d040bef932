package dev.taskqueue.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * Registers the {@link TaskClient} interfaces of the given packages, or the given clients,
 * as beans, made by the context's {@link TaskClientProxyFactory}. Without it, Spring Boot's
 * auto-configuration registers those of the application's packages (those of its
 * {@code @SpringBootApplication} class); with it, only those named here.
 *
 * <pre class="code">
 * &#64;Configuration
 * &#64;EnableTaskClients(basePackageClasses = Billing.class)
 * class ClientConfiguration {
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(TaskClientsRegistrar.class)
public @interface EnableTaskClients {

	/**
	 * Alias for {@link #basePackages()}.
	 * @return the packages to scan
	 */
	@AliasFor("basePackages")
	String[] value() default {};

	/**
	 * The packages to scan for {@code @TaskClient} interfaces, with their sub-packages.
	 * @return the packages to scan
	 */
	@AliasFor("value")
	String[] basePackages() default {};

	/**
	 * Classes whose packages are scanned, a type-safe form of {@link #basePackages()}.
	 * @return classes in the packages to scan
	 */
	Class<?>[] basePackageClasses() default {};

	/**
	 * Client interfaces to register without scanning.
	 * @return the client interfaces
	 */
	Class<?>[] clients() default {};

}
