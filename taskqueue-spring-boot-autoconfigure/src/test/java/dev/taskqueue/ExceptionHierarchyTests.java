package dev.taskqueue;

import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.core.TaskInterruptedException;
import dev.taskqueue.core.TaskTimeoutException;
import dev.taskqueue.protocol.MessageDecodingException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public exception of the main code is a {@link TaskQueueException}, so that a caller
 * catches one type.
 */
class ExceptionHierarchyTests {

	@Test
	void everyPublicExceptionIsATaskQueueException() throws Exception {
		List<Class<?>> exceptions = publicMainThrowables();
		assertThat(exceptions).as("public exceptions found")
			.contains(TaskQueueException.class, BrokerException.class, MessageDecodingException.class,
					TaskTimeoutException.class, TaskInterruptedException.class);
		assertThat(exceptions).allSatisfy((type) -> assertThat(TaskQueueException.class).as(type.getName())
			.isAssignableFrom(type));
	}

	private static List<Class<?>> publicMainThrowables() throws URISyntaxException {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition beanDefinition) {
				return true;
			}

		};
		scanner.addIncludeFilter(new AssignableTypeFilter(Throwable.class));
		Path mainClasses = Path.of(TaskQueueException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		return scanner.findCandidateComponents("dev.taskqueue")
			.stream()
			.map(BeanDefinition::getBeanClassName)
			.map((name) -> ClassUtils.resolveClassName(name, ExceptionHierarchyTests.class.getClassLoader()))
			.filter((type) -> Modifier.isPublic(type.getModifiers()))
			.filter((type) -> isIn(type, mainClasses))
			.<Class<?>>map((type) -> type)
			.toList();
	}

	private static boolean isIn(Class<?> type, Path classes) {
		try {
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).equals(classes);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
