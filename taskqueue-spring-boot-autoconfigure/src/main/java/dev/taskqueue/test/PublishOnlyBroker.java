package dev.taskqueue.test;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.DeliveryHandler;

/**
 * Base of the test brokers: they take what is published, reach no server and deliver nothing.
 */
abstract class PublishOnlyBroker implements Broker {

	private final String url;

	/**
	 * Create a broker.
	 * @param url the URL it shows, such as {@code eager://}
	 */
	PublishOnlyBroker(String url) {
		this.url = url;
	}

	/**
	 * Consume nothing: what is published here never reaches a queue.
	 */
	@Override
	public Consumption consume(ConsumerSettings settings, DeliveryHandler handler) {
		return () -> {
		};
	}

	@Override
	public void ping() {
	}

	@Override
	public String url() {
		return this.url;
	}

}
