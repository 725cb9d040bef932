package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.DisabledResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * The in-memory result backend, for {@code memory://}, or for no backend URL next to the
 * in-memory broker. No backend URL next to a real broker means no backend (Celery's
 * {@code DisabledBackend}): results stored in this JVM's memory would never reach a client of
 * another process, and a client here would wait for results no remote worker stores.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnUrlScheme(property = "taskqueue.backend.url", schemes = "memory", matchIfMissing = true)
class MemoryBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	ResultBackend taskQueueResultBackend(ResultMetaCodec codec, TaskQueueConnectionDetails connectionDetails,
			TaskQueueProperties properties, Broker broker) {
		ConnectionTls.requireNone(properties.getBackend().getSsl(), "taskqueue.backend",
				"the result backend is in memory");
		String url = connectionDetails.backendUrl();
		TaskQueueUrl.backend(url).requireTransport("memory");
		if ((url == null || url.isBlank()) && !(broker instanceof InMemoryBroker)) {
			return new DisabledResultBackend();
		}
		return new InMemoryResultBackend(codec, properties.getBackend().getResultExpires());
	}

}
