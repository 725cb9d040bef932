package dev.taskqueue.autoconfigure;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.broker.Broker;

/**
 * Fails start-up, before any bean is created, when no configuration provided a broker or a
 * result backend: the URL is malformed, or names a transport whose library is not on the
 * classpath. Without it the application would stop at a bare "no bean of type Broker".
 */
final class MissingTransportCheck implements BeanFactoryPostProcessor {

	private static final String REDIS_DEPENDENCY = "org.springframework.boot:spring-boot-starter-data-redis "
			+ "(or org.springframework.data:spring-data-redis with io.lettuce:lettuce-core)";

	private static final String AMQP_DEPENDENCY = "org.springframework.boot:spring-boot-starter-amqp "
			+ "(or org.springframework.amqp:spring-rabbit)";

	private final Environment environment;

	MissingTransportCheck(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		if (beanFactory.getBeanNamesForType(Broker.class, true, false).length == 0) {
			throw missing(TaskQueueUrl.BROKER_PROPERTY,
					TaskQueueUrl.broker(this.environment.getProperty(TaskQueueUrl.BROKER_PROPERTY)));
		}
		if (beanFactory.getBeanNamesForType(ResultBackend.class, true, false).length == 0) {
			throw missing(TaskQueueUrl.BACKEND_PROPERTY,
					TaskQueueUrl.backend(this.environment.getProperty(TaskQueueUrl.BACKEND_PROPERTY)));
		}
	}

	private static MissingTransportException missing(String property, TaskQueueUrl url) {
		if (url.scheme().startsWith("redis") || url.scheme().equals("sentinel")) {
			return new MissingTransportException(property, url.masked(), "Redis", REDIS_DEPENDENCY);
		}
		if (url.scheme().startsWith("amqp") || url.scheme().equals("rpc")) {
			return new MissingTransportException(property, url.masked(), "RabbitMQ", AMQP_DEPENDENCY);
		}
		return new MissingTransportException(property, url.masked(), url.scheme(),
				"the taskqueue module that provides it");
	}

}
