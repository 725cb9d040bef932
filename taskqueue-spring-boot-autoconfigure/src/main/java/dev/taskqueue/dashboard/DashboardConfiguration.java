package dev.taskqueue.dashboard;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.method.HandlerTypePredicate;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
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

	// pages

	@Bean(destroyMethod = "close")
	TaskHistory taskQueueDashboardHistory(ObjectProvider<ClusterState> state) {
		TaskHistory history = new TaskHistory(Clock.systemUTC());
		history.listenTo(state.getIfUnique());
		return history;
	}

	@Bean
	FleetData taskQueueDashboardFleetData(ObjectProvider<ClusterState> state, ObjectProvider<TaskQueueControl> control,
			ObjectProvider<BrokerAdmin> admin, ObjectProvider<WorkerContainer> worker) {
		return new FleetData(state.getIfUnique(), control.getIfUnique(), admin.getIfUnique(), worker.getIfUnique(),
				Clock.systemUTC());
	}

	@Bean
	TaskData taskQueueDashboardTaskData(ObjectProvider<ClusterState> state, TaskOperations tasks) {
		return new TaskData(state.getIfUnique(), tasks);
	}

	@Bean(destroyMethod = "close")
	LiveUpdates taskQueueDashboardLiveUpdates(TaskData taskData, FleetData fleetData, TaskOperations tasks,
			ObjectProvider<ClusterState> state) {
		LiveUpdates updates = new LiveUpdates(taskData, fleetData, tasks, LiveUpdates.MAX_STREAMS,
				LiveUpdates.FLUSH_EVERY);
		updates.listenTo(state.getIfUnique());
		return updates;
	}

	@Bean
	DashboardPagesController taskQueueDashboardPagesController(DashboardSettings settings, FleetData fleet,
			TaskData tasks, TaskHistory history, LiveUpdates updates, ObjectProvider<ClusterState> state) {
		return new DashboardPagesController(settings, fleet, tasks, history, updates, state.getIfUnique());
	}

	@Bean
	DashboardActionsController taskQueueDashboardActionsController(DashboardActions actions) {
		return new DashboardActionsController(actions);
	}

	// end of pages

	@Bean
	WebMvcConfigurer taskQueueDashboardPaths(DashboardSettings settings) {
		return new WebMvcConfigurer() {

			@Override
			public void configurePathMatch(PathMatchConfigurer configurer) {
				configurer.addPathPrefix(settings.apiPath(), HandlerTypePredicate.forAnnotation(FlowerApi.class));
				configurer.addPathPrefix(settings.path(), HandlerTypePredicate.forAnnotation(DashboardPages.class));
			}

			@Override
			public void addViewControllers(ViewControllerRegistry registry) {
				// the page's relative links need the trailing slash
				registry.addRedirectViewController(settings.path(), settings.path() + "/");
			}

			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				// the pages' static files; the controllers' data, streams and actions win over them
				registry.addResourceHandler(settings.path() + "/**")
					.addResourceLocations("classpath:/" + DashboardPagesController.RESOURCES)
					.setCacheControl(CacheControl.noCache());
			}

		};
	}

}
