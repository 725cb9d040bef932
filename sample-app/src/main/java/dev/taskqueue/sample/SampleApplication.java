package dev.taskqueue.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Sample application: Celery-style tasks run by this application's worker, a REST API that
 * sends them and reads their results, and the actuator's {@code taskqueue} endpoint and health.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
