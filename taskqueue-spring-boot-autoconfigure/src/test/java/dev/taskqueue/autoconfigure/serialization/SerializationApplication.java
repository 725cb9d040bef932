package dev.taskqueue.autoconfigure.serialization;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.CeleryTask;

/**
 * The application the serialization tests start: the task queue's auto-configuration and a
 * few tasks.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class })
class SerializationApplication {

	@Bean
	Tasks tasks() {
		return new Tasks();
	}

	static class Tasks {

		@CeleryTask(name = "tasks.add")
		long add(long x, long y) {
			return x + y;
		}

		@CeleryTask(name = "tasks.echo")
		Object echo(Object value) {
			return value;
		}

		@CeleryTask(name = "tasks.reverse")
		byte[] reverse(byte[] data) {
			byte[] reversed = new byte[data.length];
			for (int i = 0; i < data.length; i++) {
				reversed[i] = data[data.length - 1 - i];
			}
			return reversed;
		}

	}

}
