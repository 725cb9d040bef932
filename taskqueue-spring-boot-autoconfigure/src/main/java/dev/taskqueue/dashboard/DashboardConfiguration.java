package dev.taskqueue.dashboard;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerTypePredicate;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.BrokerAdmin;
import dev.taskqueue.control.TaskQueueControl;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.events.ClusterState;
import dev.taskqueue.worker.TaskRegistry;
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

	// REST API in Flower's shapes

	@Bean
	FlowerResults taskQueueFlowerResults(TaskOperations tasks, ObjectProvider<ResultBackend> backend) {
		return new FlowerResults(tasks, backend.getIfUnique());
	}

	@Bean
	FlowerTaskNames taskQueueFlowerTaskNames(ObjectProvider<TaskRegistry> registry,
			ObjectProvider<ClusterState> events, ObjectProvider<TaskQueueControl> control) {
		return new FlowerTaskNames(registry.getIfUnique(), events.getIfUnique(), control.getIfUnique());
	}

	@Bean
	FlowerTaskController taskQueueFlowerTaskController(ObjectProvider<ClusterState> events, FlowerResults results,
			ObjectProvider<TaskQueueControl> control, ObjectProvider<BrokerAdmin> admin,
			ObjectProvider<WorkerContainer> worker) {
		return new FlowerTaskController(events.getIfUnique(), results, control.getIfUnique(), admin.getIfUnique(),
				worker.getIfUnique());
	}

	@Bean
	FlowerSendController taskQueueFlowerSendController(DashboardActions actions, FlowerResults results,
			FlowerTaskNames names) {
		return new FlowerSendController(actions, results, names);
	}

	@Bean
	FlowerControlController taskQueueFlowerControlController(DashboardActions actions, FlowerTaskNames names) {
		return new FlowerControlController(actions, names);
	}

	@Bean
	FlowerWorkerController taskQueueFlowerWorkerController(ObjectProvider<TaskQueueControl> control,
			ObjectProvider<ClusterState> events) {
		TaskQueueControl remote = control.getIfUnique();
		FlowerWorkers workers = (remote != null)
				? new FlowerWorkers(remote, TaskQueueControl.DEFAULT_TIMEOUT, Clock.systemUTC()) : null;
		return new FlowerWorkerController(workers, events.getIfUnique());
	}

	@Bean
	FlowerApiErrors taskQueueFlowerApiErrors() {
		return new FlowerApiErrors();
	}

	// end of the REST API

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
