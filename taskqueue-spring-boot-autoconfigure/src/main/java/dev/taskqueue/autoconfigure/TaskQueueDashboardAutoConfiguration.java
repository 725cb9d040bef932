package dev.taskqueue.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.dashboard.DashboardConfiguration;
import dev.taskqueue.dashboard.DashboardSettings;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the dashboard and Flower's REST API, in a Spring MVC application with
 * {@code taskqueue.dashboard.enabled}. It reads the fleet's events (see
 * {@link TaskQueueEventsAutoConfiguration}).
 */
@AutoConfiguration(after = { TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class,
		TaskQueueControlAutoConfiguration.class, TaskQueueEventsAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty("taskqueue.dashboard.enabled")
@ConditionalOnBean(TaskOperations.class)
@Import(DashboardConfiguration.class)
public final class TaskQueueDashboardAutoConfiguration {

	private static final Log logger = LogFactory.getLog(TaskQueueDashboardAutoConfiguration.class);

	private static final String SPRING_SECURITY = "org.springframework.security.web.SecurityFilterChain";

	@Bean
	DashboardSettings taskQueueDashboardSettings(TaskQueueProperties properties) {
		TaskQueueProperties.Dashboard dashboard = properties.getDashboard();
		if (!dashboard.isReadOnly() && !ClassUtils.isPresent(SPRING_SECURITY, getClass().getClassLoader())) {
			logger.warn("The taskqueue dashboard at " + dashboard.getPath() + " and its API at " + dashboard.getApiPath()
					+ " take actions (taskqueue.dashboard.read-only=false) and Spring Security is not on the "
					+ "classpath: anyone who reaches them can send and revoke tasks");
		}
		return new DashboardSettings(dashboard.getPath(), dashboard.getApiPath(), dashboard.isReadOnly());
	}

}
