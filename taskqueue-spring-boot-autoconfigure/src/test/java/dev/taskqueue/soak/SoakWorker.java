package dev.taskqueue.soak;

import java.util.concurrent.CountDownLatch;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.CeleryTask;

/**
 * A worker of the soak in a JVM of its own, so that the soak can kill it with SIGKILL: the
 * auto-configuration with the Spring properties given as {@code --name=value} arguments, and
 * one task, {@code soak.record}, that works a little and writes its number down in the
 * {@link SoakLedger} named by the system property {@code soak.ledger}, with the worker
 * incarnation named by {@code soak.incarnation}. Prints {@link #READY} once consuming.
 */
public final class SoakWorker {

	/** The line printed once the worker consumes. */
	static final String READY = "SOAK WORKER READY";

	/** The task's name. */
	static final String TASK = "soak.record";

	/** How long each task works before writing its number down. */
	static final long WORK_MILLIS = 50;

	private SoakWorker() {
	}

	public static void main(String[] args) throws InterruptedException {
		SpringApplication application = new SpringApplication(WorkerConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.run(args);
		System.out.println(READY);
		System.out.flush();
		new CountDownLatch(1).await();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class })
	static class WorkerConfiguration {

		@Bean(destroyMethod = "close")
		SoakLedger soakLedger() {
			return new SoakLedger(System.getProperty("soak.ledger"));
		}

		@Bean
		RecordTask recordTask(SoakLedger ledger) {
			return new RecordTask(ledger, System.getProperty("soak.incarnation"));
		}

	}

	static class RecordTask {

		private final SoakLedger ledger;

		private final String incarnation;

		RecordTask(SoakLedger ledger, String incarnation) {
			this.ledger = ledger;
			this.incarnation = incarnation;
		}

		@CeleryTask(name = TASK, ignoreResult = true)
		void record(int number) throws InterruptedException {
			Thread.sleep(WORK_MILLIS);
			this.ledger.executed(number, this.incarnation);
		}

	}

}
