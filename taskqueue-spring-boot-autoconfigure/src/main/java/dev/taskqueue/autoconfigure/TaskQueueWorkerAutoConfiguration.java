package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.SharedTokenBuckets;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.observation.TaskExecutionObservationConvention;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.NodeNames;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.worker.CeleryTaskAnnotationBeanPostProcessor;
import dev.taskqueue.worker.TaskListener;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.WorkerState;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the worker that runs this application's {@code @CeleryTask} methods. Off with
 * {@code taskqueue.worker.enabled=false}.
 * <p>
 * The worker waits for running tasks at shutdown up to {@code taskqueue.worker.shutdown-timeout}
 * or Spring's {@code spring.lifecycle.timeout-per-shutdown-phase}, whichever is shorter; it
 * runs each task through the application's {@link TaskDecorator} if it has exactly one; it
 * takes the tokens of cluster-wide rate limits from the application's
 * {@link SharedTokenBuckets}, else from Redis when the broker or the result backend is Redis
 * ({@link RedisTokenBucketsConfiguration}); it follows the {@link RevokedTaskStore} (the
 * auto-configured one, or the application's own); and {@link WorkerContainerCustomizer} beans
 * customize it last.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "taskqueue.worker.enabled", matchIfMissing = true)
@Import(RedisTokenBucketsConfiguration.class)
public final class TaskQueueWorkerAutoConfiguration {

	/** Name of the thread factory of the worker's task threads. */
	public static final String THREAD_FACTORY_BEAN_NAME = "taskQueueWorkerThreadFactory";

	@Bean
	@ConditionalOnMissingBean
	static TaskRegistry taskRegistry(TaskQueueProperties properties) {
		return new TaskRegistry(TaskQueueTaskAnnotations.annotations(properties));
	}

	@Bean
	static CeleryTaskAnnotationBeanPostProcessor celeryTaskAnnotationBeanPostProcessor(
			ObjectProvider<TaskRegistry> registry) {
		return new CeleryTaskAnnotationBeanPostProcessor(registry::getObject);
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerState taskQueueWorkerState() {
		return new WorkerState();
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerSettings taskQueueWorkerSettings(TaskQueueProperties properties, Environment environment) {
		TaskQueueProperties.Worker worker = properties.getWorker();
		List<String> queues = worker.getQueues().isEmpty() ? List.of(properties.getDefaultQueue())
				: worker.getQueues();
		int concurrency = (worker.getConcurrency() != null) ? worker.getConcurrency()
				: Runtime.getRuntime().availableProcessors();
		String hostname = (worker.getHostname() != null) ? worker.getHostname() : NodeNames.defaultWorker();
		return new WorkerSettings(hostname, queues, concurrency, worker.getPrefetchMultiplier(),
				shutdownTimeout(worker.getShutdownTimeout(), environment), properties.getBackend().isResultExtended(),
				worker.getMaxHeldEta(), worker.getStallTimeout(), properties.getTask().getMaxDeliveries());
	}

	/**
	 * The shorter of the worker's own shutdown timeout and Spring's shutdown phase timeout: the
	 * worker stops synchronously, so waiting longer than the phase would hold up the shutdown
	 * Spring promised to bound.
	 * @param own the worker's own shutdown timeout
	 * @param environment the environment holding Spring's shutdown phase timeout
	 * @return the shorter of the two timeouts
	 */
	static Duration shutdownTimeout(Duration own, Environment environment) {
		// Spring Boot's own binding of spring.lifecycle.*, with its default
		Duration phase = Binder.get(environment)
			.bind("spring.lifecycle", LifecycleProperties.class)
			.orElseGet(LifecycleProperties::new)
			.getTimeoutPerShutdownPhase();
		return (phase.compareTo(own) < 0) ? phase : own;
	}

	@Bean(THREAD_FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = THREAD_FACTORY_BEAN_NAME)
	@ConditionalOnThreading(Threading.VIRTUAL)
	ThreadFactory taskQueueWorkerThreadFactory() {
		return new VirtualThreadTaskExecutor("taskqueue-worker-").getVirtualThreadFactory();
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerContainer taskQueueWorkerContainer(Broker broker, ResultBackend backend, TaskRegistry registry,
			WorkerState state, WorkerSettings settings,
			@Qualifier(TaskQueueAutoConfiguration.MAPPER_BEAN_NAME) JsonMapper mapper,
			@Qualifier(THREAD_FACTORY_BEAN_NAME) ObjectProvider<ThreadFactory> threadFactory,
			TaskQueueProperties properties, MessageCodec codec, ObjectProvider<TaskDecorator> taskDecorator,
			ObjectProvider<RevokedTaskStore> revokedTaskStore, ObjectProvider<WorkerContainerCustomizer> customizers,
			ObjectProvider<SharedTokenBuckets> sharedTokenBuckets, ObjectProvider<TaskRouter> router,
			ObjectProvider<TaskListener> listeners, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<TaskExecutionObservationConvention> observationConvention) {
		WorkerContainer container = new WorkerContainer(broker, backend, registry, state, settings, mapper,
				threadFactory.getIfAvailable());
		container.setMessageCodec(codec);
		router.ifUnique(container::setTaskRouter);
		container.setRevokedTaskStore(revokedTaskStore.getIfUnique());
		container.setAutoStartup(properties.getWorker().isAutoStartup() && !properties.getTask().isAlwaysEager());
		container.setTaskDecorator(taskDecorator.getIfUnique());
		container.setSharedTokenBuckets(sharedTokenBuckets.getIfUnique());
		container.setTaskListeners(listeners.orderedStream().toList());
		container.setObservationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP),
				observationConvention.getIfUnique());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(container));
		return container;
	}

}
