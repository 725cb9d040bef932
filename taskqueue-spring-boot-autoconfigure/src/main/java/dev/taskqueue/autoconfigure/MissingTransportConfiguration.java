package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.Broker;

/**
 * Reports a broker or backend URL that no transport on the classpath serves, with the URL
 * masked, instead of a bare "no bean of type Broker".
 */
@Configuration(proxyBeanMethods = false)
class MissingTransportConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	Broker unavailableTaskQueueBroker(TaskQueueProperties properties) {
		TaskQueueUrl url = TaskQueueUrl.parse(properties.getBroker().getUrl(), "taskqueue.broker.url",
				TaskQueueUrl.BROKER_SCHEMES);
		throw new IllegalStateException("No transport for taskqueue.broker.url=" + url + ": " + hint(url));
	}

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	ResultBackend unavailableTaskQueueResultBackend(TaskQueueProperties properties) {
		TaskQueueUrl url = TaskQueueUrl.parse(properties.getBackend().getUrl(), "taskqueue.backend.url",
				TaskQueueUrl.BACKEND_SCHEMES);
		throw new IllegalStateException("No result backend for taskqueue.backend.url=" + url + ": " + hint(url));
	}

	private static String hint(TaskQueueUrl url) {
		if (url.scheme().startsWith("redis")) {
			return "add org.springframework.data:spring-data-redis and io.lettuce:lettuce-core to the classpath";
		}
		if (url.scheme().startsWith("amqp") || url.scheme().equals("rpc")) {
			return "add org.springframework.amqp:spring-rabbit to the classpath";
		}
		return "the " + url.scheme() + " transport is not available in this version";
	}

}
