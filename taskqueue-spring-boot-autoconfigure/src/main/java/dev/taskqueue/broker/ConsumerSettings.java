package dev.taskqueue.broker;

import java.util.List;

import org.springframework.util.Assert;

/**
 * What a consumer reads and how many messages it may hold unacknowledged.
 *
 * @param queues the queue names, in the order they are served
 * @param prefetch the most deliveries outstanding at once
 */
public record ConsumerSettings(List<String> queues, int prefetch) {

	public ConsumerSettings {
		Assert.notEmpty(queues, "'queues' must not be empty");
		Assert.isTrue(prefetch > 0, "'prefetch' must be positive");
		queues = List.copyOf(queues);
	}

}
