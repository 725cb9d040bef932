package dev.taskqueue.autoconfigure;

import dev.taskqueue.TaskQueueException;

/**
 * A broker or result backend URL names a transport whose library is not on the classpath.
 * {@link MissingTransportFailureAnalyzer} tells which dependency to add.
 */
public class MissingTransportException extends TaskQueueException {

	private final String property;

	private final String url;

	private final String transport;

	private final String dependency;

	/**
	 * Create an exception.
	 * @param property the property that names the transport, such as {@code taskqueue.broker.url}
	 * @param url the URL, its password masked
	 * @param transport the transport, such as {@code Redis}
	 * @param dependency the Maven coordinates of the dependency to add
	 */
	public MissingTransportException(String property, String url, String transport, String dependency) {
		super("No transport for " + property + "=" + url + ": the " + transport
				+ " transport is not on the classpath; add " + dependency);
		this.property = property;
		this.url = url;
		this.transport = transport;
		this.dependency = dependency;
	}

	/**
	 * Return the property that names the transport, such as {@code taskqueue.broker.url}.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the URL, its password masked.
	 * @return the masked URL
	 */
	public String getUrl() {
		return this.url;
	}

	/**
	 * Return the transport, such as {@code Redis}.
	 * @return the transport name
	 */
	public String getTransport() {
		return this.transport;
	}

	/**
	 * Return the Maven coordinates of the dependency to add.
	 * @return the dependency coordinates
	 */
	public String getDependency() {
		return this.dependency;
	}

}
