package dev.taskqueue.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;
import dev.taskqueue.routing.Destination;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PublishMetrics}.
 */
class PublishMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final PublishMetrics metrics = new PublishMetrics(this.registry);

	private final TaskMessage add = TaskMessageBuilder.task("tasks.add").id("id-pub-1").args(List.of(2, 3)).build();

	@Test
	void publishedMessageIsTimedAndCountedAsSentByQueue() {
		this.metrics.published(this.add, Destination.queue("celery"), Duration.ofMillis(4));
		this.metrics.published(this.add, new Destination("tasks", "add.high"), Duration.ofMillis(2));

		Timer direct = this.registry.get("taskqueue.task.publish").tag("exchange", "default").timer();
		assertThat(direct.getId().getTags()).containsExactlyInAnyOrder(Tag.of("task", "tasks.add"),
				Tag.of("exchange", "default"), Tag.of("queue", "celery"), Tag.of("outcome", "success"),
				Tag.of("exception", "none"));
		assertThat(direct.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4);
		assertThat(this.registry.get("taskqueue.task.publish").tags("exchange", "tasks", "queue", "add.high")
			.timer()
			.count()).isOne();
		assertThat(this.registry.get("taskqueue.task.sent").tags("task", "tasks.add", "queue", "celery")
			.counter()
			.count()).isOne();
	}

	@Test
	void failedPublishIsTimedWithItsExceptionTypeAndNotCountedAsSent() {
		this.metrics.publishFailed(this.add, new BrokerException("connection refused"), Duration.ofMillis(9));

		Timer failed = this.registry.get("taskqueue.task.publish").tag("outcome", "failure").timer();
		assertThat(failed.getId().getTags()).containsExactlyInAnyOrder(Tag.of("task", "tasks.add"),
				Tag.of("exchange", "unknown"), Tag.of("queue", "unknown"), Tag.of("outcome", "failure"),
				Tag.of("exception", "BrokerException"));
		assertThat(failed.count()).isOne();
		assertThat(this.registry.find("taskqueue.task.sent").counter()).isNull();
	}

	@Test
	void taskNamesBeyondTheLimitAreTaggedOther() {
		PublishMetrics capped = new PublishMetrics(this.registry, 1);
		capped.published(this.add, Destination.queue("celery"), Duration.ZERO);
		capped.published(TaskMessageBuilder.task("tasks.mul").build(), Destination.queue("celery"), Duration.ZERO);

		assertThat(this.registry.find("taskqueue.task.sent").counters())
			.extracting((counter) -> counter.getId().getTag("task"))
			.containsExactlyInAnyOrder("tasks.add", "other");
	}

}
