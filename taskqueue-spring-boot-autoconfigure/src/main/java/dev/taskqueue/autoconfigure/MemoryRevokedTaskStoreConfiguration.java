package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.backend.RevokedTaskStore;
import dev.taskqueue.backend.memory.InMemoryRevokedTaskStore;

/**
 * Revoked tasks kept in this JVM when neither the broker nor the result backend can keep
 * them (the in-memory broker). Imported last: it applies when no other store did.
 */
@Configuration(proxyBeanMethods = false)
class MemoryRevokedTaskStoreConfiguration {

	@Bean
	@ConditionalOnMissingBean(RevokedTaskStore.class)
	InMemoryRevokedTaskStore taskQueueRevokedTaskStore(TaskQueueProperties properties) {
		return new InMemoryRevokedTaskStore(properties.getWorker().getRevokedTtl());
	}

}
