package dev.taskqueue.autoconfigure.timelimit;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.worker.TimeLimitTasks;

/**
 * The application the time-limit tests start: the task queue's auto-configuration and tasks
 * with time limits.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class })
class TimeLimitApplication {

	@Bean
	TimeLimitTasks timeLimitTasks() {
		return new TimeLimitTasks();
	}

}
