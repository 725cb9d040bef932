package dev.taskqueue.broker.amqp;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.util.ClassUtils;

/**
 * The connection factory a listener container gets: the shared factory, except that
 * {@code close()} on one of its channels is handed to {@link ConsumerChannels}, which
 * defers it while deliveries on the channel are outstanding. Everything else goes to the
 * shared factory's connection and channels unchanged.
 */
final class DeferredCloseConnectionFactory implements ConnectionFactory {

	private static final Log logger = LogFactory.getLog(DeferredCloseConnectionFactory.class);

	private final ConnectionFactory delegate;

	private final ConsumerChannels channels;

	DeferredCloseConnectionFactory(ConnectionFactory delegate, ConsumerChannels channels) {
		this.delegate = delegate;
		this.channels = channels;
	}

	/**
	 * Return the client channel behind a channel handed to a listener, which acknowledgements
	 * must use: a cached channel proxy would open a new channel once the old one is closed,
	 * where the delivery tag means nothing.
	 * @param channel the channel handed to the listener
	 * @return the client channel
	 */
	static Channel target(Channel channel) {
		if (Proxy.isProxyClass(channel.getClass())
				&& Proxy.getInvocationHandler(channel) instanceof DeferredClose deferred) {
			return deferred.target();
		}
		return (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
	}

	@Override
	public Connection createConnection() {
		return new DeferringConnection(this.delegate.createConnection());
	}

	@Override
	public @Nullable String getHost() {
		return this.delegate.getHost();
	}

	@Override
	public int getPort() {
		return this.delegate.getPort();
	}

	@Override
	public String getVirtualHost() {
		return this.delegate.getVirtualHost();
	}

	@Override
	public String getUsername() {
		return this.delegate.getUsername();
	}

	@Override
	public void addConnectionListener(ConnectionListener listener) {
		this.delegate.addConnectionListener(listener);
	}

	@Override
	public boolean removeConnectionListener(ConnectionListener listener) {
		return this.delegate.removeConnectionListener(listener);
	}

	@Override
	public void clearConnectionListeners() {
		this.delegate.clearConnectionListeners();
	}

	@Override
	public boolean isPublisherConfirms() {
		return this.delegate.isPublisherConfirms();
	}

	@Override
	public boolean isSimplePublisherConfirms() {
		return this.delegate.isSimplePublisherConfirms();
	}

	@Override
	public boolean isPublisherReturns() {
		return this.delegate.isPublisherReturns();
	}

	private final class DeferringConnection implements Connection {

		private final Connection connection;

		DeferringConnection(Connection connection) {
			this.connection = connection;
		}

		@Override
		public Channel createChannel(boolean transactional) {
			Channel channel = this.connection.createChannel(transactional);
			ClassLoader loader = DeferredCloseConnectionFactory.class.getClassLoader();
			Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(channel.getClass(), loader);
			return (Channel) Proxy.newProxyInstance(loader, interfaces, new DeferredClose(channel));
		}

		@Override
		public void close() {
			this.connection.close();
		}

		@Override
		public boolean isOpen() {
			return this.connection.isOpen();
		}

		@Override
		public int getLocalPort() {
			return this.connection.getLocalPort();
		}

		@Override
		public void addBlockedListener(BlockedListener listener) {
			this.connection.addBlockedListener(listener);
		}

		@Override
		public boolean removeBlockedListener(BlockedListener listener) {
			return this.connection.removeBlockedListener(listener);
		}

		@Override
		public com.rabbitmq.client.Connection getDelegate() {
			return this.connection.getDelegate();
		}

		@Override
		public void closeThreadChannel() {
			this.connection.closeThreadChannel();
		}

	}

	private final class DeferredClose implements InvocationHandler {

		private final Channel channel;

		DeferredClose(Channel channel) {
			this.channel = channel;
		}

		Channel target() {
			return (this.channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : this.channel;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			switch (method.getName()) {
				case "equals":
					return (args != null && proxy == args[0]);
				case "hashCode":
					return System.identityHashCode(proxy);
				case "toString":
					return "Consumer channel (closed once its deliveries are settled): " + this.channel;
				case "close":
					Channel target = target();
					ConsumerChannels channels = DeferredCloseConnectionFactory.this.channels;
					if (target != null && channels.deferClose(target, this::close)) {
						RabbitUtils.clearPhysicalCloseRequired();
						if (logger.isDebugEnabled()) {
							logger.debug("Closing " + target + " once its outstanding deliveries are settled");
						}
						return null;
					}
					break;
				default:
			}
			try {
				return method.invoke(this.channel, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

		/** The deferred close: physical, as the container asked for it. */
		private void close() {
			RabbitUtils.setPhysicalCloseRequired(this.channel, true);
			try {
				RabbitUtils.closeChannel(this.channel);
			}
			catch (RuntimeException ex) {
				logger.debug("Failed to close a consumer channel", ex);
			}
			finally {
				RabbitUtils.clearPhysicalCloseRequired();
			}
		}

	}

}
