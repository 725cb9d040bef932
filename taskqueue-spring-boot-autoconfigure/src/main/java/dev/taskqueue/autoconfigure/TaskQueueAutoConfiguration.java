package dev.taskqueue.autoconfigure;

import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.core.TaskOperations;
import dev.taskqueue.core.TaskPublishListener;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.observation.TaskPublishObservationConvention;
import dev.taskqueue.protocol.AcceptContent;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.ResultMetaCodec;
import dev.taskqueue.protocol.TaskCompression;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.TaskRouter;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for sending Celery tasks: codecs, the broker and result backend chosen by
 * {@code taskqueue.broker.url} and {@code taskqueue.backend.url}, the store of revoked tasks
 * (Redis when the broker or the backend is Redis, a RabbitMQ stream on RabbitMQ otherwise, in
 * memory next to the in-memory broker), the router and the {@link TaskTemplate}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@EnableConfigurationProperties(TaskQueueProperties.class)
@Import({ MemoryBrokerConfiguration.class, RedisBrokerConfiguration.class, AmqpBrokerConfiguration.class,
		MemoryBackendConfiguration.class, RedisBackendConfiguration.class, RpcBackendConfiguration.class,
		RedisRevokedTaskStoreConfiguration.class, AmqpRevokedTaskStoreConfiguration.class,
		MemoryRevokedTaskStoreConfiguration.class })
public final class TaskQueueAutoConfiguration {

	/**
	 * Name of the private JSON mapper for Celery's wire format. It is not a default candidate, so
	 * the application's own {@code JsonMapper} and {@code spring.jackson.*} stay untouched.
	 */
	public static final String MAPPER_BEAN_NAME = "taskQueueJsonMapper";

	@Bean(name = MAPPER_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = MAPPER_BEAN_NAME)
	JsonMapper taskQueueJsonMapper() {
		return CeleryJson.newMapper();
	}

	@Bean
	static MissingTransportCheck taskQueueMissingTransportCheck(Environment environment) {
		return new MissingTransportCheck(environment);
	}

	@Bean
	@ConditionalOnMissingBean(TaskQueueConnectionDetails.class)
	PropertiesTaskQueueConnectionDetails taskQueueConnectionDetails(TaskQueueProperties properties) {
		return new PropertiesTaskQueueConnectionDetails(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	MessageCodec taskQueueMessageCodec(TaskQueueProperties properties) {
		TaskCompression compression = properties.getTask().getCompression();
		return new JsonMessageCodec(properties.getTask().getSerializer(),
				(compression != null) ? compression.kombuName() : null,
				properties.getWorker().getLimits().toInboundLimits(), acceptContent(properties.getAcceptContent()));
	}

	private static AcceptContent acceptContent(List<String> names) {
		try {
			return AcceptContent.of(names);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("taskqueue.accept-content", String.join(",", names),
					ex.getMessage());
		}
	}

	@Bean
	@ConditionalOnMissingBean
	ResultMetaCodec taskQueueResultMetaCodec(TaskQueueProperties properties) {
		return new JsonResultMetaCodec(properties.getBackend().getResultSerializer());
	}

	@Bean
	@ConditionalOnMissingBean
	LamportClock taskQueueClock() {
		return new LamportClock();
	}

	@Bean
	@ConditionalOnMissingBean(TaskRouter.class)
	DefaultTaskRouter taskQueueRouter(TaskQueueProperties properties) {
		return TaskQueueRouting.router(properties);
	}

	@Bean
	@ConditionalOnMissingBean(TaskOperations.class)
	TaskTemplate taskTemplate(Broker broker, ResultBackend backend, TaskRouter router, MessageCodec codec,
			@Qualifier(MAPPER_BEAN_NAME) JsonMapper mapper, TaskQueueProperties properties,
			ObjectProvider<RevokedTaskStore> revokedTaskStore, ObjectProvider<TaskTemplateCustomizer> customizers,
			ObjectProvider<TaskPublishListener> publishListeners, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<TaskPublishObservationConvention> observationConvention) {
		TaskTemplate template = new TaskTemplate(broker, backend, router, codec, mapper,
				properties.getTask().getMaxPayloadSize());
		template.setSendAfterCommit(properties.getTask().isSendAfterCommit());
		template.setRevokedTaskStore(revokedTaskStore.getIfUnique());
		template.setPublishListeners(publishListeners.orderedStream().toList());
		template.setObservationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP),
				observationConvention.getIfUnique());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(template));
		return template;
	}

}
