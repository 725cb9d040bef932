package dev.taskqueue.dashboard;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueControlAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueDashboardAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEventsAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.CeleryTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.config.Customizer.withDefaults;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard and its API behind the application's Spring Security, configured as the README
 * shows: viewers read, operators act, and the audit log names who acted.
 */
@ExtendWith(OutputCaptureExtension.class)
class DashboardSecurityTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class,
				TaskQueueControlAutoConfiguration.class, TaskQueueEventsAutoConfiguration.class,
				TaskQueueDashboardAutoConfiguration.class))
		.withUserConfiguration(SecuredDashboard.class)
		.withPropertyValues("taskqueue.dashboard.enabled=true", "taskqueue.dashboard.read-only=false",
				"taskqueue.worker.hostname=secured@test");

	@Test
	void anonymousRequestsAreRefused() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			mvc.perform(get("/taskqueue/api/workers")).andExpect(status().isUnauthorized());
			mvc.perform(get("/taskqueue/")).andExpect(status().isUnauthorized());
		});
	}

	@Test
	void viewersReadButCannotAct(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			mvc.perform(get("/taskqueue/api/task/types").with(httpBasic("viewer", "viewer-secret")))
				.andExpect(status().isOk());
			mvc.perform(post("/taskqueue/api/task/async-apply/secured.add").with(httpBasic("viewer", "viewer-secret"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [1, 2]}")).andExpect(status().isForbidden());
			assertThat(output).doesNotContain("sent secured.add");
		});
	}

	@Test
	void operatorsActAndTheAuditLogNamesThem(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			mvc.perform(post("/taskqueue/api/task/async-apply/secured.add").with(httpBasic("operator", "operator-secret"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"args\": [1, 2]}")).andExpect(status().isOk());
			assertThat(output).contains("operator from 127.0.0.1 sent secured.add");
		});
	}

	@Test
	void theDashboardsOwnPostsSendBackTheCsrfCookieAsItsScriptsDo() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			Cookie token = mvc.perform(get("/taskqueue/data/settings").with(httpBasic("operator", "operator-secret")))
				.andExpect(status().isOk())
				.andReturn().getResponse().getCookie("XSRF-TOKEN");
			assertThat(token).isNotNull();
			mvc.perform(post("/taskqueue/actions/tasks/some-id/revoke").with(httpBasic("operator", "operator-secret"))
				.cookie(token)).andExpect(status().isForbidden());
			mvc.perform(post("/taskqueue/actions/tasks/some-id/revoke").with(httpBasic("operator", "operator-secret"))
				.cookie(token)
				.header("X-XSRF-TOKEN", token.getValue())).andExpect(status().isOk());
		});
	}

	private static MockMvc mvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class SecuredDashboard {

		// the README's configuration
		@Bean
		SecurityFilterChain taskQueueDashboardSecurity(HttpSecurity http) throws Exception {
			http.securityMatcher("/taskqueue/**")
				.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET, "/taskqueue/**")
					.hasAnyRole("VIEWER", "OPERATOR")
					.anyRequest()
					.hasRole("OPERATOR"))
				.httpBasic(withDefaults())
				// the pages send the XSRF-TOKEN cookie back as X-XSRF-TOKEN; scripts calling the API
				// authenticate on each request and need no token
				.csrf((csrf) -> csrf.spa().ignoringRequestMatchers("/taskqueue/api/**"));
			return http.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("viewer").password("{noop}viewer-secret").roles("VIEWER").build(),
					User.withUsername("operator").password("{noop}operator-secret").roles("OPERATOR").build());
		}

		@Bean
		SecuredTasks securedTasks() {
			return new SecuredTasks();
		}

	}

	static class SecuredTasks {

		@CeleryTask(name = "secured.add")
		int add(int x, int y) {
			return x + y;
		}

	}

}
