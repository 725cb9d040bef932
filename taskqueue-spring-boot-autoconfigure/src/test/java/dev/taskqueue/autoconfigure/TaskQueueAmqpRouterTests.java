package dev.taskqueue.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.ExchangeType;
import dev.taskqueue.routing.QueueSpec;
import dev.taskqueue.routing.TaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the RabbitMQ broker declares the queues of the application's {@link TaskRouter}
 * bean rather than a router of its own, against the local RabbitMQ.
 */
class TaskQueueAmqpRouterTests {

	private final String queue = "boot-router-" + UUID.randomUUID();

	private final CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", 5672);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class))
		.withPropertyValues("taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//",
				"taskqueue.default-queue=" + this.queue);

	@AfterEach
	void deleteQueue() {
		RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);
		admin.deleteQueue(this.queue);
		admin.deleteExchange(this.queue);
		this.connectionFactory.destroy();
	}

	@Test
	void defaultQueueIsDeclaredAsTheApplicationsRouterDeclaresIt() {
		QueueSpec spec = new QueueSpec(this.queue, this.queue, ExchangeType.DIRECT, this.queue, true, 7);
		this.contextRunner
			.withBean(TaskRouter.class, () -> new DefaultTaskRouter(this.queue, Map.of(this.queue, spec), List.of(),
					true, null))
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskRouter.class);
				RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);
				assertThat(admin.getQueueInfo(this.queue)).isNotNull();
				admin.declareQueue(new Queue(this.queue, true, false, false, Map.of("x-max-priority", 7)));
				Queue otherPriority = new Queue(this.queue, true, false, false, Map.of("x-max-priority", 3));
				assertThatExceptionOfType(AmqpException.class).isThrownBy(() -> admin.declareQueue(otherPriority));
			});
	}

}
