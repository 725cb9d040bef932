package dev.taskqueue.interop;

import java.util.Arrays;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.sample.SampleApplication;

/**
 * The sample app in this JVM, with the given properties taking precedence over its
 * {@code application.yml}.
 */
final class JavaSample {

	private JavaSample() {
	}

	static ConfigurableApplicationContext start(Class<?>[] extraSources, String... properties) {
		Class<?>[] sources = new Class<?>[extraSources.length + 1];
		sources[0] = SampleApplication.class;
		System.arraycopy(extraSources, 0, sources, 1, extraSources.length);
		String[] args = Arrays.stream(properties).map((property) -> "--" + property).toArray(String[]::new);
		return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).run(args);
	}

	static ConfigurableApplicationContext start(String... properties) {
		return start(new Class<?>[0], properties);
	}

}
