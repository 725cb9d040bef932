package dev.taskqueue.client;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartFactoryBean;

/**
 * Makes one task client bean with the context's {@link TaskClientProxyFactory}, eagerly, so
 * that a client declared wrongly fails the start-up.
 *
 * @param <T> the client interface
 */
class TaskClientFactoryBean<T> implements SmartFactoryBean<T>, BeanFactoryAware {

	private final Class<T> clientType;

	private BeanFactory beanFactory;

	TaskClientFactoryBean(Class<T> clientType) {
		this.clientType = clientType;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public T getObject() {
		return this.beanFactory.getBean(TaskClientProxyFactory.class).createClient(this.clientType);
	}

	@Override
	public Class<?> getObjectType() {
		return this.clientType;
	}

	@Override
	public boolean isEagerInit() {
		return true;
	}

}
