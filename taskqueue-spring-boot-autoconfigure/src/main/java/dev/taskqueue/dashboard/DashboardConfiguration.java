package dev.taskqueue.dashboard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerTypePredicate;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.worker.WorkerContainer;

/**
 * The dashboard's Spring MVC beans: its controllers, mapped under
 * {@link DashboardSettings#path()} and {@link DashboardSettings#apiPath()}, the actions they
 * share and the error answers. Imported by the starter's auto-configuration when
 * {@code taskqueue.dashboard.enabled} is set; needs a {@link DashboardSettings} and a
 * {@link TaskOperations} bean.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardConfiguration {

	@Bean
	DashboardActions taskQueueDashboardActions(DashboardSettings settings, TaskOperations tasks,
			ObjectProvider<TaskQueueControl> control, ObjectProvider<BrokerAdmin> admin,
			ObjectProvider<WorkerContainer> worker) {
		return new DashboardActions(tasks, control.getIfUnique(), admin.getIfUnique(), worker.getIfUnique(),
				settings.readOnly());
	}

	@Bean
	DashboardErrors taskQueueDashboardErrors() {
		return new DashboardErrors();
	}

	@Bean
	WebMvcConfigurer taskQueueDashboardPaths(DashboardSettings settings) {
		return new WebMvcConfigurer() {

			@Override
			public void configurePathMatch(PathMatchConfigurer configurer) {
				configurer.addPathPrefix(settings.apiPath(), HandlerTypePredicate.forAnnotation(FlowerApi.class));
				configurer.addPathPrefix(settings.path(), HandlerTypePredicate.forAnnotation(DashboardPages.class));
			}

		};
	}

}
