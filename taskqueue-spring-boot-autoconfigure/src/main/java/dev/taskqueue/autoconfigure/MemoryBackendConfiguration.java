package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.protocol.ResultMetaCodec;

/**
 * The in-memory result backend, for {@code memory://} or no backend URL.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnUrlScheme(property = "taskqueue.backend.url", schemes = "memory", matchIfMissing = true)
class MemoryBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	InMemoryResultBackend taskQueueResultBackend(ResultMetaCodec codec, TaskQueueProperties properties) {
		ConnectionTls.requireNone(properties.getBackend().getSsl(), "taskqueue.backend",
				"the result backend is in memory");
		return new InMemoryResultBackend(codec, properties.getBackend().getResultExpires());
	}

}
