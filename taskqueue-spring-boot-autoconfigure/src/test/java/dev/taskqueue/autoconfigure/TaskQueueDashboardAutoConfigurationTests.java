package dev.taskqueue.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.DispatcherServlet;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.dashboard.DashboardConfiguration;
import dev.taskqueue.dashboard.DashboardSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Tests for {@link TaskQueueDashboardAutoConfiguration}.
 */
class TaskQueueDashboardAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(JacksonAutoConfiguration.class,
			HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, TaskQueueAutoConfiguration.class,
			TaskQueueControlAutoConfiguration.class, TaskQueueEventsAutoConfiguration.class,
			TaskQueueDashboardAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	@Test
	void backsOffWithoutTheProperty() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(DashboardSettings.class)
			.doesNotHaveBean(DashboardConfiguration.class));
	}

	@Test
	void backsOffInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("taskqueue.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardSettings.class));
	}

	@Test
	void backsOffWithoutSpringMvc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.withPropertyValues("taskqueue.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardSettings.class));
	}

	@Test
	void servesTheApiUnderItsPathReadOnlyByDefault() {
		this.contextRunner
			.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.dashboard.api-path=/flower/api/")
			.run((context) -> {
				assertThat(context.getBean(DashboardSettings.class))
					.isEqualTo(new DashboardSettings("/taskqueue", "/flower/api", true));
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
				String types = mvc.perform(get("/flower/api/task/types")).andReturn().getResponse()
					.getContentAsString();
				assertThat(JsonMapper.builder().build().readValue(types, Map.class)).containsKey("task-types");
				assertThat(mvc.perform(get("/taskqueue/api/task/types")).andReturn().getResponse().getStatus())
					.isEqualTo(404);
			});
	}

	@Test
	void aBadPathFailsStartUpWithAClearMessage() {
		this.contextRunner.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.dashboard.path=dashboard")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'path' must start with '/' and name a path, not 'dashboard'"));
	}

	@Test
	void theSamePathForPagesAndApiFailsStartUp() {
		this.contextRunner
			.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.dashboard.path=/tq",
					"taskqueue.dashboard.api-path=/tq/")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("The dashboard's path and API path must differ"));
	}

}
