package dev.taskqueue.autoconfigure.abuse;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.CeleryTask;

/**
 * The application the abuse tests start: the task queue's auto-configuration and one task.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class })
class AbuseApplication {

	@Bean
	Tasks tasks() {
		return new Tasks();
	}

	static class Tasks {

		@CeleryTask(name = "tasks.add")
		long add(long x, long y) {
			return x + y;
		}

	}

}
