package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> TaskQueueUrl.broker("localhost:6379"))
			.withMessageContaining("it must look like scheme://")
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("taskqueue.broker.url"));
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> TaskQueueUrl.broker("rpc://"))
			.withMessageContaining("its scheme 'rpc' is not supported");
	}

	@Test
	void rejectsBadPortWithoutThePassword() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> TaskQueueUrl.backend("redis://:secret@localhost:63x9/0"))
			.withMessageContaining("its port '63x9' is not a number")
			.withMessageNotContaining("secret")
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("taskqueue.backend.url"))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo("redis://:**@localhost:63x9/0"));
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> TaskQueueUrl.broker("amqp://localhost:70000//"))
			.withMessageContaining("its port 70000 is not between 1 and 65535");
	}

	@Test
	void listsAlternativesSeparatedBySemicolonsWithTheFirstsCredentials() {
		TaskQueueUrl url = TaskQueueUrl.broker("sentinel://:s3cret@s1:26379/2; sentinel://s2:26380;sentinel://s3");
		assertThat(url.scheme()).isEqualTo("sentinel");
		assertThat(url.alternates()).extracting(TaskQueueUrl::raw)
			.containsExactly("sentinel://:s3cret@s1:26379/2", "sentinel://s2:26380", "sentinel://s3");
		assertThat(url.parts().password()).isEqualTo("s3cret");
		assertThat(url.parts().path()).isEqualTo("2");
		assertThat(url.masked()).isEqualTo("sentinel://:**@s1:26379/2;sentinel://s2:26380;sentinel://s3");
		TaskQueueUrl cluster = TaskQueueUrl.broker("amqp://u:p@a:5672//;amqps://u:p@b:5671//");
		assertThat(cluster.alternates()).extracting(TaskQueueUrl::scheme).containsExactly("amqp", "amqps");
		assertThat(cluster.masked()).isEqualTo("amqp://u:**@a:5672//;amqps://u:**@b:5671//");
		assertThat(TaskQueueUrl.backend("sentinel://h:26379/1").alternates()).hasSize(1);
	}

	@Test
	void aSemicolonInAPasswordDoesNotSplitTheUrl() {
		TaskQueueUrl url = TaskQueueUrl.broker("redis://:a;b@host:6379/0");
		assertThat(url.alternates()).hasSize(1);
		assertThat(url.parts().password()).isEqualTo("a;b");
		assertThat(url.masked()).isEqualTo("redis://:**@host:6379/0");
	}

	@Test
	void rejectsAlternativesOfAnotherServiceOrOfPlainRedis() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> TaskQueueUrl.broker("redis://:pw@a:6379/0;redis://b:6379/0"))
			.withMessageContaining("sentinel://")
			.withMessageNotContaining("pw");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> TaskQueueUrl.broker("amqp://a//;sentinel://b:26379"))
			.withMessageContaining("mixes the schemes 'amqp' and 'sentinel'");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> TaskQueueUrl.broker("sentinel://a:26379/0;sentinel://b:x"))
			.withMessageContaining("port 'x'");
	}

}
