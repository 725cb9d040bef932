package dev.taskqueue.backend.rpc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

import dev.taskqueue.backend.AbstractRevokedTaskStore;
import dev.taskqueue.backend.RevokeMessages;
import dev.taskqueue.backend.RevokedTaskStore;

/**
 * A {@link RevokedTaskStore} in a RabbitMQ stream, for deployments whose only shared store is
 * RabbitMQ (an {@code amqp://} broker with the {@code rpc://} backend or none).
 * <p>
 * <b>Why a stream.</b> Revokes must outlive worker restarts and reach workers that were not
 * running when the revoke was made, and running workers must learn them at once (to
 * terminate a running task). A stream is a durable, replicated append-only log whose reads do
 * not consume: every worker reads it whole from its start at boot ({@code x-stream-offset
 * first}) and then stays on its tail, so one consumer gives both the revokes kept and the new
 * ones as they are appended. Its retention ({@code x-max-age}, set to the revokes' time to
 * live) drops old revokes without any sweeping. It needs nothing but RabbitMQ 3.9 or later
 * over AMQP 0.9.1 (no plugin, no stream protocol client). The alternatives do not fit: the
 * {@code rpc://} backend keeps no shared state; a fanout to a queue per worker loses the
 * revokes made before a worker first declared its queue, and a fresh worker starts empty;
 * a classic or quorum queue read destructively cannot serve several readers.
 * <p>
 * Each entry is a {@link RevokeMessages} JSON message, published persistent with publisher
 * confirms, so {@link #revoke} returns only once RabbitMQ holds it. RabbitMQ drops whole
 * segments once all their entries are older than the retention, so an entry can be read after
 * its revoke expired: every entry carries its expiry, and expired ones are ignored; segments
 * are kept small ({@value #SEGMENT_SIZE} bytes) so old entries do not linger.
 * <p>
 * A follower knows it has read all the revokes kept when it reads a marker it appended itself
 * just before it began (a stream over AMQP 0.9.1 does not say where its end is). When the
 * connection is lost the consumer starts again from the first entry once RabbitMQ is
 * reachable, which catches what was appended meanwhile (taking a revoke again is harmless).
 */
public class StreamRevokedTaskStore extends AbstractRevokedTaskStore implements DisposableBean {

	/** The name of the stream unless another one is given. */
	public static final String DEFAULT_STREAM = "taskqueue.revoked";

	/** The largest segment of the stream, in bytes: the unit in which RabbitMQ drops old entries. */
	static final int SEGMENT_SIZE = 1_000_000;

	/** The AMQP {@code type} property of the markers a follower appends. */
	static final String MARKER_TYPE = "taskqueue.revoked.marker";

	/** The longest a follower waits at start to have read the revokes kept. */
	private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(StreamRevokedTaskStore.class);

	private final ConnectionFactory connectionFactory;

	private final RevokeStream stream;

	private final String url;

	private volatile @Nullable Marker marker;

	private volatile @Nullable RevokeStreamContainer container;

	/**
	 * Create a store. Nothing is declared until the first revoke or follower.
	 * @param connectionFactory the factory of connections to RabbitMQ; owned (and closed) by
	 * the caller
	 * @param stream the name of the stream
	 * @param ttl how long a revoke is kept: the retention of the stream
	 * @param maskedUrl the broker URL without its password, for messages
	 */
	public StreamRevokedTaskStore(ConnectionFactory connectionFactory, String stream, Duration ttl,
			String maskedUrl) {
		this(connectionFactory, stream, ttl, maskedUrl, Clock.systemUTC());
	}

	StreamRevokedTaskStore(ConnectionFactory connectionFactory, String stream, Duration ttl, String maskedUrl,
			Clock clock) {
		super(ttl, clock);
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.hasText(stream, "'stream' must not be empty");
		Assert.hasText(maskedUrl, "'maskedUrl' must not be empty");
		this.connectionFactory = connectionFactory;
		this.url = maskedUrl;
		this.stream = new RevokeStream(connectionFactory, stream, ttl, this::describe);
	}

	@Override
	protected void persist(List<String> taskIds, boolean terminate, Instant expires) {
		this.stream.append(RevokeMessages.encode(taskIds, terminate, expires), null);
	}

	@Override
	protected void startFollowing() {
		Marker marker = new Marker(UUID.randomUUID().toString(), new CountDownLatch(1));
		this.marker = marker;
		boolean appended;
		try {
			this.stream.append(new byte[0], marker.id());
			appended = true;
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot reach the revoked tasks in " + describe() + "; they are read as soon as RabbitMQ "
					+ "is reachable: " + ex.getMessage());
			appended = false;
		}
		RevokeStreamContainer container = new RevokeStreamContainer(this.connectionFactory, this.stream.name(),
				this.stream::declareQuietly, this::onMessage);
		container.afterPropertiesSet();
		container.start();
		this.container = container;
		if (appended) {
			awaitLoaded(marker);
		}
	}

	private void awaitLoaded(Marker marker) {
		try {
			if (!marker.loaded().await(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("The revoked tasks in " + describe() + " were not all read within " + LOAD_TIMEOUT
						+ "; reading goes on");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void onMessage(Message message) {
		if (MARKER_TYPE.equals(message.getMessageProperties().getType())) {
			Marker marker = this.marker;
			if (marker != null && marker.id().equals(message.getMessageProperties().getMessageId())) {
				marker.loaded().countDown();
			}
			return;
		}
		received(message.getBody());
	}

	@Override
	protected void stopFollowing() {
		RevokeStreamContainer container = this.container;
		this.container = null;
		this.marker = null;
		if (container != null) {
			container.stop();
			container.destroy();
		}
	}

	@Override
	public String describe() {
		return this.url + " (stream " + this.stream.name() + ")";
	}

	/** Stop following and close the publishing channel. The connection factory is left to its owner. */
	@Override
	public void destroy() {
		stopFollowing();
		this.stream.close();
	}

	/**
	 * The marker a follower appends to know when it has read what was there before.
	 *
	 * @param id the marker's message id
	 * @param loaded counted down when the follower reads it
	 */
	private record Marker(String id, CountDownLatch loaded) {

	}

}
