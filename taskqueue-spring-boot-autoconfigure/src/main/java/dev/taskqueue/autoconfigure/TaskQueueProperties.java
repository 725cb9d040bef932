package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.protocol.InboundLimits;
import dev.taskqueue.protocol.Serializer;
import dev.taskqueue.protocol.TaskCompression;
import dev.taskqueue.routing.ExchangeType;

/**
 * Configuration properties for the task queue, under {@code taskqueue}.
 */
@ConfigurationProperties("taskqueue")
public class TaskQueueProperties {

	/**
	 * Queue of tasks that no route sends elsewhere (Celery's task_default_queue).
	 */
	private String defaultQueue = "celery";

	/**
	 * Whether tasks may be sent to queues that are not declared (Celery's
	 * task_create_missing_queues).
	 */
	private boolean createMissingQueues = true;

	/**
	 * The x-max-priority argument of queues that set none (Celery's task_queue_max_priority).
	 */
	private @Nullable Integer queueMaxPriority;

	/**
	 * Queues by name (Celery's task_queues): exchange, exchange type, routing key, durability
	 * and maximum priority. Queues not listed here get Celery's defaults.
	 */
	private final Map<String, Queue> queues = new LinkedHashMap<>();

	/**
	 * Routes by task name or glob pattern such as "[tasks.*]" (Celery's task_routes), tried in
	 * order: to a queue, or to an exchange with a routing key.
	 */
	private final Map<String, Route> routes = new LinkedHashMap<>();

	/**
	 * Options of tasks by task name or glob, overriding what their @CeleryTask declares
	 * (Celery's task_annotations). Globs apply in order, then the exact name.
	 */
	private final Map<String, TaskOverride> tasks = new LinkedHashMap<>();

	/**
	 * Serializers of the task messages the worker deserializes, by name (json, msgpack) or
	 * content type (Celery's accept_content). A message of another content type is
	 * dead-lettered unread. Pickle and YAML are never deserialized: naming them fails start-up.
	 */
	private List<String> acceptContent = new ArrayList<>(List.of("json", "msgpack"));

	private final Broker broker = new Broker();

	private final Backend backend = new Backend();

	private final Task task = new Task();

	private final Worker worker = new Worker();

	private final Beat beat = new Beat();

	private final Control control = new Control();

	private final Events events = new Events();

	private final Dashboard dashboard = new Dashboard();

	private final Client client = new Client();

	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	public void setDefaultQueue(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	public boolean isCreateMissingQueues() {
		return this.createMissingQueues;
	}

	public void setCreateMissingQueues(boolean createMissingQueues) {
		this.createMissingQueues = createMissingQueues;
	}

	public @Nullable Integer getQueueMaxPriority() {
		return this.queueMaxPriority;
	}

	public void setQueueMaxPriority(@Nullable Integer queueMaxPriority) {
		this.queueMaxPriority = queueMaxPriority;
	}

	public Map<String, Queue> getQueues() {
		return this.queues;
	}

	public Map<String, Route> getRoutes() {
		return this.routes;
	}

	public Map<String, TaskOverride> getTasks() {
		return this.tasks;
	}

	public List<String> getAcceptContent() {
		return this.acceptContent;
	}

	public void setAcceptContent(List<String> acceptContent) {
		this.acceptContent = acceptContent;
	}

	public Broker getBroker() {
		return this.broker;
	}

	public Backend getBackend() {
		return this.backend;
	}

	public Task getTask() {
		return this.task;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Beat getBeat() {
		return this.beat;
	}

	public Control getControl() {
		return this.control;
	}

	public Events getEvents() {
		return this.events;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public Client getClient() {
		return this.client;
	}

	public static class Queue {

		/**
		 * Exchange the queue is bound to. The queue's name when not set.
		 */
		private @Nullable String exchange;

		/**
		 * Type of the exchange.
		 */
		private ExchangeType exchangeType = ExchangeType.DIRECT;

		/**
		 * Binding key of the queue. The queue's name when not set.
		 */
		private @Nullable String routingKey;

		/**
		 * Whether the queue and its exchange survive a broker restart.
		 */
		private boolean durable = true;

		/**
		 * The x-max-priority argument of the queue; none when not set.
		 */
		private @Nullable Integer maxPriority;

		/**
		 * Other arguments of the queue declaration, as kombu's queue_arguments, such as
		 * 'x-queue-type: quorum'. Whole numbers are sent as integers, as Python sends them.
		 */
		private Map<String, String> arguments = new LinkedHashMap<>();

		public @Nullable String getExchange() {
			return this.exchange;
		}

		public void setExchange(@Nullable String exchange) {
			this.exchange = exchange;
		}

		public ExchangeType getExchangeType() {
			return this.exchangeType;
		}

		public void setExchangeType(ExchangeType exchangeType) {
			this.exchangeType = exchangeType;
		}

		public @Nullable String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(@Nullable String routingKey) {
			this.routingKey = routingKey;
		}

		public boolean isDurable() {
			return this.durable;
		}

		public void setDurable(boolean durable) {
			this.durable = durable;
		}

		public @Nullable Integer getMaxPriority() {
			return this.maxPriority;
		}

		public void setMaxPriority(@Nullable Integer maxPriority) {
			this.maxPriority = maxPriority;
		}

		public Map<String, String> getArguments() {
			return this.arguments;
		}

		public void setArguments(Map<String, String> arguments) {
			this.arguments = arguments;
		}

	}

	public static class Route {

		/**
		 * Queue the matching tasks are sent to.
		 */
		private @Nullable String queue;

		/**
		 * Exchange the matching tasks are published to.
		 */
		private @Nullable String exchange;

		/**
		 * Routing key the matching tasks are published with.
		 */
		private @Nullable String routingKey;

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		public @Nullable String getExchange() {
			return this.exchange;
		}

		public void setExchange(@Nullable String exchange) {
			this.exchange = exchange;
		}

		public @Nullable String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(@Nullable String routingKey) {
			this.routingKey = routingKey;
		}

	}

	public static class Broker {

		/**
		 * Broker URL, Celery-style: memory://, redis://[:password@]host:port/db,
		 * sentinel://[:password@]host:port/db;sentinel://host:port (the Sentinels of a Redis
		 * master, with redis.master-name) or amqp://user:password@host:port/vhost, several
		 * separated by ';' for the nodes of a RabbitMQ cluster. When not set: the application's own RabbitMQ
		 * connection (spring.rabbitmq.*) if it has one, else its own Redis connection
		 * (spring.data.redis.*) if it has one, else the in-memory broker.
		 */
		private @Nullable String url;

		private final Ssl ssl = new Ssl();

		private final Redis redis = new Redis();

		private final Amqp amqp = new Amqp();

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Redis getRedis() {
			return this.redis;
		}

		public Amqp getAmqp() {
			return this.amqp;
		}

		public static class Amqp {

			/**
			 * Whether a send returns only after RabbitMQ confirmed the message, and fails
			 * otherwise.
			 */
			private boolean publisherConfirms = true;

			/**
			 * The longest a send waits, counted from the call: for a publishing channel, for
			 * RabbitMQ to stop blocking publishers (under a memory or disk alarm), and for its
			 * confirmation.
			 */
			private Duration confirmTimeout = Duration.ofSeconds(10);

			/**
			 * The most messages published and not yet confirmed at once; a send (such as
			 * {@code sendAsync} or {@code sendAll}) waits for room beyond that, no longer
			 * than the confirm timeout.
			 */
			private int maxInFlight = 256;

			/**
			 * How the next RabbitMQ node is chosen when the broker URL lists several,
			 * separated by ';' (Celery's broker_failover_strategy): round-robin tries them
			 * in the order given, going on from the node last connected to; shuffle tries
			 * them in a random order on every connection.
			 */
			private FailoverStrategy failoverStrategy = FailoverStrategy.ROUND_ROBIN;

			public boolean isPublisherConfirms() {
				return this.publisherConfirms;
			}

			public void setPublisherConfirms(boolean publisherConfirms) {
				this.publisherConfirms = publisherConfirms;
			}

			public Duration getConfirmTimeout() {
				return this.confirmTimeout;
			}

			public void setConfirmTimeout(Duration confirmTimeout) {
				this.confirmTimeout = confirmTimeout;
			}

			public int getMaxInFlight() {
				return this.maxInFlight;
			}

			public void setMaxInFlight(int maxInFlight) {
				this.maxInFlight = maxInFlight;
			}

			public FailoverStrategy getFailoverStrategy() {
				return this.failoverStrategy;
			}

			public void setFailoverStrategy(FailoverStrategy failoverStrategy) {
				this.failoverStrategy = failoverStrategy;
			}

			/**
			 * Celery's broker_failover_strategy values.
			 */
			public enum FailoverStrategy {

				/**
				 * The nodes in the order given, going on from the one last connected to, as
				 * kombu cycles through its alternates.
				 */
				ROUND_ROBIN,

				/**
				 * The nodes in a random order on every connection.
				 */
				SHUFFLE

			}

		}

		public static class Redis extends RedisFailover {

			/**
			 * How long a delivered message may stay unacknowledged without a sign of life from
			 * its worker before any worker, Java or Python, restores it to its queue (kombu's
			 * visibility_timeout). A Java worker renews the messages it holds every third of
			 * this time (at least every minute), so only those of a worker that went away are
			 * restored, however long their ETA or run; Python workers do not renew theirs, so
			 * with them keep it longer than the longest ETA and task. Use the same value on
			 * every worker.
			 */
			private Duration visibilityTimeout = Duration.ofHours(1);

			/**
			 * Prefix of every Redis key and channel the transport uses (kombu's
			 * global_keyprefix). Use the same value on every worker.
			 */
			private String globalKeyprefix = "";

			/**
			 * The most publishes waiting for Redis's reply at once; a send (such as
			 * {@code sendAsync} or {@code sendAll}) waits for room beyond that, no longer
			 * than the connection's command timeout.
			 */
			private int maxInFlight = 256;

			public Duration getVisibilityTimeout() {
				return this.visibilityTimeout;
			}

			public void setVisibilityTimeout(Duration visibilityTimeout) {
				this.visibilityTimeout = visibilityTimeout;
			}

			public String getGlobalKeyprefix() {
				return this.globalKeyprefix;
			}

			public void setGlobalKeyprefix(String globalKeyprefix) {
				this.globalKeyprefix = globalKeyprefix;
			}

			public int getMaxInFlight() {
				return this.maxInFlight;
			}

			public void setMaxInFlight(int maxInFlight) {
				this.maxInFlight = maxInFlight;
			}

		}

	}

	public static class Backend {

		/**
		 * Result backend URL, Celery-style: memory://, redis://[:password@]host:port/db,
		 * sentinel://[:password@]host:port/db;sentinel://host:port (with redis.master-name)
		 * or rpc://. The in-memory backend when not set.
		 */
		private @Nullable String url;

		/**
		 * How long results are kept (Celery's result_expires).
		 */
		private Duration resultExpires = Duration.ofDays(1);

		/**
		 * Whether results carry the task name, arguments, worker, retries and queue (Celery's
		 * result_extended).
		 */
		private boolean resultExtended;

		/**
		 * Serializer of the result metas the worker stores or sends (Celery's
		 * result_serializer): json or msgpack. Results are read in either, whatever this is.
		 */
		private Serializer resultSerializer = Serializer.JSON;

		private final Ssl ssl = new Ssl();

		private final Redis redis = new Redis();

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Redis getRedis() {
			return this.redis;
		}

		public Duration getResultExpires() {
			return this.resultExpires;
		}

		public void setResultExpires(Duration resultExpires) {
			this.resultExpires = resultExpires;
		}

		public boolean isResultExtended() {
			return this.resultExtended;
		}

		public void setResultExtended(boolean resultExtended) {
			this.resultExtended = resultExtended;
		}

		public Serializer getResultSerializer() {
			return this.resultSerializer;
		}

		public void setResultSerializer(Serializer resultSerializer) {
			this.resultSerializer = resultSerializer;
		}

		/**
		 * The Redis result backend's Sentinel settings.
		 */
		public static class Redis extends RedisFailover {

		}

	}

	/**
	 * Failover settings of a Redis connection: the Sentinels of a sentinel:// URL, where the
	 * master is found, and how many replicas a write waits for.
	 */
	public static class RedisFailover {

		/**
		 * Name under which the Sentinels of a sentinel:// URL monitor the Redis master
		 * (kombu's master_name transport option). Required with sentinel:// URLs.
		 */
		private @Nullable String masterName;

		/**
		 * Password of the Sentinels themselves (kombu's sentinel_kwargs), when they ask
		 * for one; the password in the URL is the master's.
		 */
		private @Nullable String sentinelPassword;

		/**
		 * How many replicas must have a published message or a stored result before the
		 * send or store succeeds (Redis WAIT), so that a failover that promotes one of them
		 * cannot lose it. 0 succeeds once the master has it, as Celery does.
		 */
		private int waitForReplicas;

		/**
		 * The longest a send or store waits for those replicas; it fails when fewer had the
		 * write by then, although the master has it.
		 */
		private Duration waitForReplicasTimeout = Duration.ofSeconds(1);

		public @Nullable String getMasterName() {
			return this.masterName;
		}

		public void setMasterName(@Nullable String masterName) {
			this.masterName = masterName;
		}

		public @Nullable String getSentinelPassword() {
			return this.sentinelPassword;
		}

		public void setSentinelPassword(@Nullable String sentinelPassword) {
			this.sentinelPassword = sentinelPassword;
		}

		public int getWaitForReplicas() {
			return this.waitForReplicas;
		}

		public void setWaitForReplicas(int waitForReplicas) {
			this.waitForReplicas = waitForReplicas;
		}

		public Duration getWaitForReplicasTimeout() {
			return this.waitForReplicasTimeout;
		}

		public void setWaitForReplicasTimeout(Duration waitForReplicasTimeout) {
			this.waitForReplicasTimeout = waitForReplicasTimeout;
		}

	}

	/**
	 * TLS of the connection built from an amqps:// or rediss:// URL. Without settings, the
	 * server's certificate is checked against the JVM's default trust store and its host name
	 * against the URL's.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust material, and key material
		 * for a client certificate, the TLS connection uses. The server's host name is still
		 * checked. The JVM's default trust store when not set.
		 */
		private @Nullable String bundle;

		/**
		 * Whether the TLS connection trusts any certificate and skips the host name check.
		 * Insecure: anyone on the network path can then read and change the traffic, passwords
		 * included. For tests only; use an SSL bundle instead.
		 */
		private boolean insecureTrustAll;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public boolean isInsecureTrustAll() {
			return this.insecureTrustAll;
		}

		public void setInsecureTrustAll(boolean insecureTrustAll) {
			this.insecureTrustAll = insecureTrustAll;
		}

	}

	public static class Task {

		/**
		 * Largest encoded message body a send accepts; larger sends fail.
		 */
		private DataSize maxPayloadSize = DataSize.ofMegabytes(8);

		/**
		 * Compression of sent task bodies: zlib (alias gzip) or bzip2 (alias bzip), as
		 * Celery's task_compression. None when not set.
		 */
		private @Nullable TaskCompression compression;

		/**
		 * Serializer of the task messages sent (Celery's task_serializer): json or msgpack.
		 */
		private Serializer serializer = Serializer.JSON;

		/**
		 * Whether tasks acknowledge their message only after they ran, unless their
		 * {@code @CeleryTask} says otherwise (Celery's task_acks_late), so that the message of a
		 * task whose worker dies is delivered again instead of lost. Celery's default is false
		 * (acknowledge when the task starts), which loses such tasks; true here, because
		 * max-deliveries stops the redelivery loop that made Celery choose losing.
		 */
		private boolean acksLate = true;

		/**
		 * The most times a message may be delivered: one delivered more often (its worker
		 * was lost each time, as when the task kills the JVM) goes to the dead-letter place
		 * with the count, and FAILURE WorkerLostError is stored for its task. 0 for no limit.
		 * A worker giving messages back as it stops does not count.
		 */
		private int maxDeliveries = 5;

		/**
		 * Whether the message of an acks-late task whose worker was lost while holding it is
		 * run again, unless the task's @CeleryTask says otherwise (Celery's
		 * task_reject_on_worker_lost, false there). When false, it is not:
		 * FAILURE WorkerLostError is stored and the message acknowledged, as Celery does.
		 */
		private boolean rejectOnWorkerLost = true;

		/**
		 * Whether sending a @CeleryTask of this application runs it at once in the sending
		 * thread instead of publishing it (Celery's task_always_eager), for tests. The message
		 * still goes through the codec and the worker's argument binding; results are kept in
		 * memory, and no broker is used. Sending a task this application does not declare fails.
		 */
		private boolean alwaysEager;

		/**
		 * Whether a task sent inside a Spring transaction is published only once the
		 * transaction commits, and dropped when it rolls back (Celery's delay_on_commit).
		 * Outside a transaction tasks are sent at once.
		 */
		private boolean sendAfterCommit;

		/**
		 * Whether sending a task also sends a task-sent event (Celery's
		 * task_send_sent_event).
		 */
		private boolean sendSentEvent;

		public boolean isSendSentEvent() {
			return this.sendSentEvent;
		}

		public void setSendSentEvent(boolean sendSentEvent) {
			this.sendSentEvent = sendSentEvent;
		}

		/**
		 * How long a task may run before it fails with TimeLimitExceeded and its thread,
		 * interrupted, is abandoned (Celery's task_time_limit); a number is seconds. None when not set. A task's own
		 * timeLimit, and a message's timelimit header, win.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration timeLimit;

		/**
		 * How long a task may run before its thread is interrupted so that it can clean up
		 * (Celery's task_soft_time_limit); a number is seconds. None when not set.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration softTimeLimit;

		/**
		 * Whether tasks store STARTED when they begin (Celery's task_track_started).
		 */
		private boolean trackStarted;

		/**
		 * Whether tasks store no result (Celery's task_ignore_result).
		 */
		private boolean ignoreResult;

		public @Nullable Duration getTimeLimit() {
			return this.timeLimit;
		}

		public void setTimeLimit(@Nullable Duration timeLimit) {
			this.timeLimit = timeLimit;
		}

		public @Nullable Duration getSoftTimeLimit() {
			return this.softTimeLimit;
		}

		public void setSoftTimeLimit(@Nullable Duration softTimeLimit) {
			this.softTimeLimit = softTimeLimit;
		}

		public boolean isTrackStarted() {
			return this.trackStarted;
		}

		public void setTrackStarted(boolean trackStarted) {
			this.trackStarted = trackStarted;
		}

		public boolean isIgnoreResult() {
			return this.ignoreResult;
		}

		public void setIgnoreResult(boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
		}

		public boolean isAcksLate() {
			return this.acksLate;
		}

		public void setAcksLate(boolean acksLate) {
			this.acksLate = acksLate;
		}

		public int getMaxDeliveries() {
			return this.maxDeliveries;
		}

		public void setMaxDeliveries(int maxDeliveries) {
			this.maxDeliveries = maxDeliveries;
		}

		public boolean isRejectOnWorkerLost() {
			return this.rejectOnWorkerLost;
		}

		public void setRejectOnWorkerLost(boolean rejectOnWorkerLost) {
			this.rejectOnWorkerLost = rejectOnWorkerLost;
		}

		public DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

		public @Nullable TaskCompression getCompression() {
			return this.compression;
		}

		public void setCompression(@Nullable TaskCompression compression) {
			this.compression = compression;
		}

		public Serializer getSerializer() {
			return this.serializer;
		}

		public void setSerializer(Serializer serializer) {
			this.serializer = serializer;
		}

		public boolean isAlwaysEager() {
			return this.alwaysEager;
		}

		public void setAlwaysEager(boolean alwaysEager) {
			this.alwaysEager = alwaysEager;
		}

		public boolean isSendAfterCommit() {
			return this.sendAfterCommit;
		}

		public void setSendAfterCommit(boolean sendAfterCommit) {
			this.sendAfterCommit = sendAfterCommit;
		}

	}

	/**
	 * Options of the tasks one name or glob matches, each overriding the task's own.
	 */
	public static class TaskOverride {

		/**
		 * Queue the tasks are sent to when neither the sender nor a route names one.
		 */
		private @Nullable String queue;

		/**
		 * How often the tasks may start on each worker (across all workers when the task's
		 * rateLimitScope is CLUSTER): 10/s, 100/m, 1000/h, or a number per second (Celery's
		 * rate_limit); 0 lifts a limit.
		 */
		private @Nullable String rateLimit;

		/**
		 * Hard time limit (Celery's time_limit); a number is seconds, 0 lifts a limit.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration timeLimit;

		/**
		 * Soft time limit (Celery's soft_time_limit); a number is seconds, 0 lifts a limit.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration softTimeLimit;

		/**
		 * Most retries (Celery's max_retries), -1 for no limit.
		 */
		private @Nullable Integer maxRetries;

		/**
		 * Wait of a retry that names no countdown or ETA (Celery's default_retry_delay); a
		 * number is seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration defaultRetryDelay;

		/**
		 * Whether the tasks acknowledge their message after they ran (Celery's acks_late).
		 */
		private @Nullable Boolean acksLate;

		/**
		 * Whether the tasks run again when their worker died while running them (Celery's
		 * reject_on_worker_lost).
		 */
		private @Nullable Boolean rejectOnWorkerLost;

		/**
		 * Whether the tasks store no result (Celery's ignore_result).
		 */
		private @Nullable Boolean ignoreResult;

		/**
		 * Whether the tasks store STARTED (Celery's track_started).
		 */
		private @Nullable Boolean trackStarted;

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		public @Nullable String getRateLimit() {
			return this.rateLimit;
		}

		public void setRateLimit(@Nullable String rateLimit) {
			this.rateLimit = rateLimit;
		}

		public @Nullable Duration getTimeLimit() {
			return this.timeLimit;
		}

		public void setTimeLimit(@Nullable Duration timeLimit) {
			this.timeLimit = timeLimit;
		}

		public @Nullable Duration getSoftTimeLimit() {
			return this.softTimeLimit;
		}

		public void setSoftTimeLimit(@Nullable Duration softTimeLimit) {
			this.softTimeLimit = softTimeLimit;
		}

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable Duration getDefaultRetryDelay() {
			return this.defaultRetryDelay;
		}

		public void setDefaultRetryDelay(@Nullable Duration defaultRetryDelay) {
			this.defaultRetryDelay = defaultRetryDelay;
		}

		public @Nullable Boolean getAcksLate() {
			return this.acksLate;
		}

		public void setAcksLate(@Nullable Boolean acksLate) {
			this.acksLate = acksLate;
		}

		public @Nullable Boolean getRejectOnWorkerLost() {
			return this.rejectOnWorkerLost;
		}

		public void setRejectOnWorkerLost(@Nullable Boolean rejectOnWorkerLost) {
			this.rejectOnWorkerLost = rejectOnWorkerLost;
		}

		public @Nullable Boolean getIgnoreResult() {
			return this.ignoreResult;
		}

		public void setIgnoreResult(@Nullable Boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
		}

		public @Nullable Boolean getTrackStarted() {
			return this.trackStarted;
		}

		public void setTrackStarted(@Nullable Boolean trackStarted) {
			this.trackStarted = trackStarted;
		}

	}

	public static class Worker {

		/**
		 * Whether this application runs a worker for its @CeleryTask methods.
		 */
		private boolean enabled = true;

		/**
		 * Whether the worker starts consuming when the application starts; when off, start the
		 * WorkerContainer bean yourself.
		 */
		private boolean autoStartup = true;

		/**
		 * Number of tasks run at once. The number of available processors when not set.
		 */
		private @Nullable Integer concurrency;

		/**
		 * Messages reserved per concurrent task (Celery's worker_prefetch_multiplier).
		 */
		private int prefetchMultiplier = 4;

		/**
		 * Comma-separated list of queues to consume, in order. The default queue when empty.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * Node name of this worker. celery@ and the host name when not set.
		 */
		private @Nullable String hostname;

		/**
		 * How long running tasks may take to finish when the worker stops, at most
		 * spring.lifecycle.timeout-per-shutdown-phase. Tasks still running then are
		 * interrupted; those that acknowledge late go back to the broker.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * Most tasks held for their ETA or countdown outside the prefetch window, and as many
		 * again waiting for a rate-limit token. Past it, held tasks take prefetch slots and
		 * fetching pauses until some come due.
		 */
		private int maxHeldEta = 10000;

		/**
		 * How long tasks may wait for a pool thread while none starts or finishes before the
		 * health indicator reports the worker as wedged (DOWN).
		 */
		private Duration stallTimeout = Duration.ofMinutes(10);

		/**
		 * How long a revoked task id is kept (Celery's REVOKE_EXPIRES). Revokes are durable:
		 * kept in Redis when the broker or the result backend is Redis, in a RabbitMQ stream
		 * on RabbitMQ otherwise, so they survive worker restarts and reach workers started
		 * later. Revokes and workers of one deployment should agree on it.
		 */
		private Duration revokedTtl = Duration.ofHours(3);

		/**
		 * Whether the worker sends task events (task-received, task-started,
		 * task-succeeded, ...) for celery events and Flower, as Celery's worker -E.
		 * Worker events (online, heartbeat, offline) are always sent. Remote control's
		 * enable_events and disable_events switch it at run time.
		 */
		private boolean sendTaskEvents;

		/**
		 * Whether the worker logs a line per task received and succeeded (INFO), retried
		 * (WARN) and failed (ERROR, with the stack trace), as Celery's worker does. Argument
		 * values are never logged.
		 */
		private boolean logTasks = true;

		private final Limits limits = new Limits();

		public boolean isSendTaskEvents() {
			return this.sendTaskEvents;
		}

		public void setSendTaskEvents(boolean sendTaskEvents) {
			this.sendTaskEvents = sendTaskEvents;
		}

		public boolean isLogTasks() {
			return this.logTasks;
		}

		public void setLogTasks(boolean logTasks) {
			this.logTasks = logTasks;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public int getPrefetchMultiplier() {
			return this.prefetchMultiplier;
		}

		public void setPrefetchMultiplier(int prefetchMultiplier) {
			this.prefetchMultiplier = prefetchMultiplier;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public @Nullable String getHostname() {
			return this.hostname;
		}

		public void setHostname(@Nullable String hostname) {
			this.hostname = hostname;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public int getMaxHeldEta() {
			return this.maxHeldEta;
		}

		public void setMaxHeldEta(int maxHeldEta) {
			this.maxHeldEta = maxHeldEta;
		}

		public Duration getStallTimeout() {
			return this.stallTimeout;
		}

		public void setStallTimeout(Duration stallTimeout) {
			this.stallTimeout = stallTimeout;
		}

		public Duration getRevokedTtl() {
			return this.revokedTtl;
		}

		public void setRevokedTtl(Duration revokedTtl) {
			this.revokedTtl = revokedTtl;
		}

		public Limits getLimits() {
			return this.limits;
		}

		/**
		 * What a received message may cost to decode; a message over a limit is
		 * dead-lettered with the reason.
		 */
		public static class Limits {

			/**
			 * Largest message body received, compressed or not. The RabbitMQ client's inbound
			 * limit of the connections the starter creates is raised to match when smaller.
			 */
			private DataSize maxBodySize = DataSize.ofMegabytes(64);

			/**
			 * Largest message body after decompression.
			 */
			private DataSize maxDecompressedSize = DataSize.ofMegabytes(64);

			/**
			 * Deepest nesting of arrays and maps in a message body, JSON or msgpack.
			 */
			private int maxDepth = 500;

			public DataSize getMaxBodySize() {
				return this.maxBodySize;
			}

			public void setMaxBodySize(DataSize maxBodySize) {
				this.maxBodySize = maxBodySize;
			}

			public DataSize getMaxDecompressedSize() {
				return this.maxDecompressedSize;
			}

			public void setMaxDecompressedSize(DataSize maxDecompressedSize) {
				this.maxDecompressedSize = maxDecompressedSize;
			}

			public int getMaxDepth() {
				return this.maxDepth;
			}

			public void setMaxDepth(int maxDepth) {
				this.maxDepth = maxDepth;
			}

			InboundLimits toInboundLimits() {
				return new InboundLimits(this.maxBodySize.toBytes(), this.maxDecompressedSize.toBytes(),
						this.maxDepth);
			}

		}

	}


	/**
	 * Celery's beat: periodic tasks sent by exactly one of the instances that enable it.
	 */
	public static class Beat {

		/**
		 * Whether this instance takes part in beat: of all the instances that enable it, one
		 * leads and sends the periodic tasks (as running celery beat).
		 */
		private boolean enabled;

		/**
		 * Zone the crontab entries are read in (Celery's timezone).
		 */
		private ZoneId timezone = ZoneId.of("UTC");

		/**
		 * How long the leader's lease lasts; it renews it every third of it, and another
		 * instance takes over within it when the leader dies. At least 3 seconds.
		 */
		private Duration lease = Duration.ofSeconds(30);

		/**
		 * Prefix of the Redis keys, or the name prefix of the RabbitMQ queues, that hold the
		 * lease and the last runs. Instances that share it elect one leader.
		 */
		private String key = "taskqueue.beat";

		/**
		 * Periodic tasks by entry name (Celery's beat_schedule): task, args, kwargs, queue,
		 * options, and exactly one of every, cron, or the crontab fields minute, hour,
		 * day-of-week, day-of-month, month-of-year. An entry replaces a ScheduleEntry bean or
		 * a @Periodic task of the same name (a name with dots goes in brackets: "[tasks.add]").
		 */
		private final Map<String, Entry> schedule = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public ZoneId getTimezone() {
			return this.timezone;
		}

		public void setTimezone(ZoneId timezone) {
			this.timezone = timezone;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		public Map<String, Entry> getSchedule() {
			return this.schedule;
		}

		/**
		 * One periodic task, as an entry of Celery's beat_schedule.
		 */
		public static class Entry {

			/**
			 * Name of the task to send.
			 */
			private @Nullable String task;

			/**
			 * Positional arguments. Give them in YAML to keep numbers numbers: in a
			 * .properties file every value is a string.
			 */
			private List<Object> args = new ArrayList<>();

			/**
			 * Keyword arguments.
			 */
			private Map<String, Object> kwargs = new LinkedHashMap<>();

			/**
			 * Queue to send to instead of the routed one.
			 */
			private @Nullable String queue;

			/**
			 * Interval (Celery's seconds or timedelta): 10s, 5m, PT5M; a number is seconds.
			 */
			@DurationUnit(ChronoUnit.SECONDS)
			private @Nullable Duration every;

			/**
			 * Crontab in one string, minute hour day-of-month month day-of-week, with Celery's
			 * day-of-week numbering and names (0 or 7 = Sunday, mon-fri).
			 */
			private @Nullable String cron;

			/**
			 * Minutes of a crontab given by fields (Celery's crontab(minute=...)); * when
			 * not set.
			 */
			private @Nullable String minute;

			/**
			 * Hours of a crontab given by fields; * when not set.
			 */
			private @Nullable String hour;

			/**
			 * Days of the week of a crontab given by fields; * when not set.
			 */
			private @Nullable String dayOfWeek;

			/**
			 * Days of the month of a crontab given by fields; * when not set.
			 */
			private @Nullable String dayOfMonth;

			/**
			 * Months of a crontab given by fields; * when not set.
			 */
			private @Nullable String monthOfYear;

			private final Options options = new Options();

			public @Nullable String getTask() {
				return this.task;
			}

			public void setTask(@Nullable String task) {
				this.task = task;
			}

			public List<Object> getArgs() {
				return this.args;
			}

			public void setArgs(List<Object> args) {
				this.args = args;
			}

			public Map<String, Object> getKwargs() {
				return this.kwargs;
			}

			public void setKwargs(Map<String, Object> kwargs) {
				this.kwargs = kwargs;
			}

			public @Nullable String getQueue() {
				return this.queue;
			}

			public void setQueue(@Nullable String queue) {
				this.queue = queue;
			}

			public @Nullable Duration getEvery() {
				return this.every;
			}

			public void setEvery(@Nullable Duration every) {
				this.every = every;
			}

			public @Nullable String getCron() {
				return this.cron;
			}

			public void setCron(@Nullable String cron) {
				this.cron = cron;
			}

			public @Nullable String getMinute() {
				return this.minute;
			}

			public void setMinute(@Nullable String minute) {
				this.minute = minute;
			}

			public @Nullable String getHour() {
				return this.hour;
			}

			public void setHour(@Nullable String hour) {
				this.hour = hour;
			}

			public @Nullable String getDayOfWeek() {
				return this.dayOfWeek;
			}

			public void setDayOfWeek(@Nullable String dayOfWeek) {
				this.dayOfWeek = dayOfWeek;
			}

			public @Nullable String getDayOfMonth() {
				return this.dayOfMonth;
			}

			public void setDayOfMonth(@Nullable String dayOfMonth) {
				this.dayOfMonth = dayOfMonth;
			}

			public @Nullable String getMonthOfYear() {
				return this.monthOfYear;
			}

			public void setMonthOfYear(@Nullable String monthOfYear) {
				this.monthOfYear = monthOfYear;
			}

			public Options getOptions() {
				return this.options;
			}

		}

		/**
		 * How an entry's ticks are sent (Celery's options of a beat_schedule entry).
		 */
		public static class Options {

			/**
			 * How long after its tick a task may run at the earliest (Celery's
			 * {@code countdown}); a number is seconds. None when not set.
			 */
			@DurationUnit(ChronoUnit.SECONDS)
			private @Nullable Duration countdown;

			/**
			 * How long a tick's message stays valid; a number is seconds. The time until the
			 * next tick when not set.
			 */
			@DurationUnit(ChronoUnit.SECONDS)
			private @Nullable Duration expires;

			/**
			 * Message priority, 0 to 255.
			 */
			private @Nullable Integer priority;

			/**
			 * Custom message headers.
			 */
			private Map<String, Object> headers = new LinkedHashMap<>();

			public @Nullable Duration getCountdown() {
				return this.countdown;
			}

			public void setCountdown(@Nullable Duration countdown) {
				this.countdown = countdown;
			}

			public @Nullable Duration getExpires() {
				return this.expires;
			}

			public void setExpires(@Nullable Duration expires) {
				this.expires = expires;
			}

			public @Nullable Integer getPriority() {
				return this.priority;
			}

			public void setPriority(@Nullable Integer priority) {
				this.priority = priority;
			}

			public Map<String, Object> getHeaders() {
				return this.headers;
			}

			public void setHeaders(Map<String, Object> headers) {
				this.headers = headers;
			}

		}

	}

	/**
	 * Remote control: the mailbox on which workers answer celery inspect and celery control,
	 * and the TaskQueueControl client.
	 */
	public static class Control {

		/**
		 * Whether the worker answers remote-control commands (celery status, inspect,
		 * control) and the TaskQueueControl client is available. Only on Redis and RabbitMQ.
		 */
		private boolean enabled = true;

		/**
		 * Name of the remote-control exchange (Celery's control_exchange): the mailbox is
		 * <name>.pidbox and replies go to reply.<name>.pidbox.
		 */
		private String exchange = "celery";

		/**
		 * Whether the shutdown command stops this application. Off by default: anyone who
		 * can publish to the broker could stop it.
		 */
		private boolean allowShutdown;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getExchange() {
			return this.exchange;
		}

		public void setExchange(String exchange) {
			this.exchange = exchange;
		}

		public boolean isAllowShutdown() {
			return this.allowShutdown;
		}

		public void setAllowShutdown(boolean allowShutdown) {
			this.allowShutdown = allowShutdown;
		}

	}

	/**
	 * Declarative task clients: interfaces annotated with @TaskClient.
	 */
	public static class Client {

		/**
		 * How long client methods that return the result itself, or a CompletableFuture, wait
		 * for it, unless their @TaskClient or @TaskMethod names a timeout.
		 */
		private Duration defaultTimeout = Duration.ofSeconds(30);

		/**
		 * Whether, once the application is ready, the workers are asked which tasks they
		 * register (celery inspect registered), and client methods whose task no worker
		 * registers are reported in the log and the taskqueue actuator endpoint. Needs
		 * remote control, on Redis or RabbitMQ.
		 */
		private boolean verify;

		/**
		 * How long the verification collects the workers' replies.
		 */
		private Duration verifyTimeout = Duration.ofSeconds(1);

		/**
		 * How often the verification runs again after the first, to see workers started
		 * later; unset for once, when the application is ready.
		 */
		private @Nullable Duration verifyInterval;

		public Duration getDefaultTimeout() {
			return this.defaultTimeout;
		}

		public void setDefaultTimeout(Duration defaultTimeout) {
			this.defaultTimeout = defaultTimeout;
		}

		public boolean isVerify() {
			return this.verify;
		}

		public void setVerify(boolean verify) {
			this.verify = verify;
		}

		public Duration getVerifyTimeout() {
			return this.verifyTimeout;
		}

		public void setVerifyTimeout(Duration verifyTimeout) {
			this.verifyTimeout = verifyTimeout;
		}

		public @Nullable Duration getVerifyInterval() {
			return this.verifyInterval;
		}

		public void setVerifyInterval(@Nullable Duration verifyInterval) {
			this.verifyInterval = verifyInterval;
		}

	}

	/**
	 * Monitoring events, as celery events and Flower read them.
	 */
	public static class Events {

		/**
		 * Name of the events exchange (Celery's event_exchange).
		 */
		private String exchange = "celeryev";

		/**
		 * How often the worker sends worker-heartbeat (Celery's --heartbeat-interval).
		 * Monitors count a worker offline after twice this without one.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(2);

		/**
		 * Whether this application receives the events of the whole fleet (as celery events
		 * and Flower do) into a ClusterState bean, which the actuator's cluster view reads.
		 */
		private boolean receive;

		public boolean isReceive() {
			return this.receive;
		}

		public void setReceive(boolean receive) {
			this.receive = receive;
		}

		public String getExchange() {
			return this.exchange;
		}

		public void setExchange(String exchange) {
			this.exchange = exchange;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

	}

	/**
	 * The dashboard: web pages of the fleet's workers, tasks and queues, and Flower's REST API.
	 */
	public static class Dashboard {

		/**
		 * Whether the application serves the dashboard and the REST API (Spring MVC only). It
		 * receives the fleet's events, as with taskqueue.events.receive.
		 */
		private boolean enabled;

		/**
		 * Path of the dashboard's pages.
		 */
		private String path = "/taskqueue";

		/**
		 * Path of the REST API in Flower's shapes (/api/workers, /api/tasks, ...).
		 */
		private String apiPath = "/taskqueue/api";

		/**
		 * How many tasks the dashboard keeps in memory, the first seen dropped first.
		 */
		private int maxTasks = 10_000;

		/**
		 * Whether the dashboard and the API refuse actions (send, revoke, rate limit, pause and
		 * resume queues, requeue dead letters) with 403. Each action is logged with who asked.
		 */
		private boolean readOnly = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public String getApiPath() {
			return this.apiPath;
		}

		public void setApiPath(String apiPath) {
			this.apiPath = apiPath;
		}

		public int getMaxTasks() {
			return this.maxTasks;
		}

		public void setMaxTasks(int maxTasks) {
			this.maxTasks = maxTasks;
		}

		public boolean isReadOnly() {
			return this.readOnly;
		}

		public void setReadOnly(boolean readOnly) {
			this.readOnly = readOnly;
		}

	}

}
