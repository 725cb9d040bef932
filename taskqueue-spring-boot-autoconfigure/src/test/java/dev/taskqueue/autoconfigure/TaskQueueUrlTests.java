package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TaskQueueUrl}.
 */
class TaskQueueUrlTests {

	@Test
	void masksPasswordOnly() {
		assertThat(TaskQueueUrl.mask("redis://:secret@localhost:6379/0")).isEqualTo("redis://:**@localhost:6379/0");
		assertThat(TaskQueueUrl.mask("amqp://guest:guest@127.0.0.1:5672//")).isEqualTo("amqp://guest:**@127.0.0.1:5672//");
		assertThat(TaskQueueUrl.mask("redis://localhost:6379/1")).isEqualTo("redis://localhost:6379/1");
		assertThat(TaskQueueUrl.mask("amqp://user@host//")).isEqualTo("amqp://user@host//");
	}

	@Test
	void masksPasswordsContainingSlashesAndAts() {
		assertThat(TaskQueueUrl.mask("redis://:p/a@ss@host:6379/0")).isEqualTo("redis://:**@host:6379/0");
	}

	@Test
	void parsesSchemeAndPassword() {
		TaskQueueUrl url = TaskQueueUrl.parse("REDIS://:pw@host:6379/0", "p", TaskQueueUrl.BROKER_SCHEMES);
		assertThat(url.scheme()).isEqualTo("redis");
		assertThat(url.parts().password()).isEqualTo("pw");
		assertThat(url).hasToString("REDIS://:**@host:6379/0");
	}

	@Test
	void missingUrlIsMemory() {
		assertThat(TaskQueueUrl.parse(null, "p", TaskQueueUrl.BROKER_SCHEMES)).isEqualTo(TaskQueueUrl.MEMORY);
	}

	@Test
	void rejectsMalformedAndUnsupported() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskQueueUrl.parse("localhost:6379", "taskqueue.broker.url", TaskQueueUrl.BROKER_SCHEMES))
			.withMessageContaining("taskqueue.broker.url must look like scheme://");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskQueueUrl.parse("rpc://", "taskqueue.broker.url", TaskQueueUrl.BROKER_SCHEMES))
			.withMessageContaining("unsupported scheme 'rpc'");
	}

}
