package dev.taskqueue.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.protocol.ContentDisallowedException;
import dev.taskqueue.protocol.EncodedMessage;
import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.ResultMeta;
import dev.taskqueue.protocol.ResultMetaCodec;
import dev.taskqueue.protocol.Serializer;
import dev.taskqueue.protocol.TaskMessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for binding {@code taskqueue.task.serializer}, {@code taskqueue.backend.result-serializer}
 * and {@code taskqueue.accept-content} to the codecs.
 */
class SerializerBindingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class));

	@Test
	void jsonByDefaultAndBothAccepted() {
		this.contextRunner.run((context) -> {
			TaskQueueProperties properties = context.getBean(TaskQueueProperties.class);
			assertThat(properties.getTask().getSerializer()).isEqualTo(Serializer.JSON);
			assertThat(properties.getBackend().getResultSerializer()).isEqualTo(Serializer.JSON);
			assertThat(properties.getAcceptContent()).containsExactly("json", "msgpack");
			EncodedMessage encoded = context.getBean(MessageCodec.class).encode(TaskMessageBuilder.task("t").build());
			assertThat(encoded.contentType()).isEqualTo("application/json");
			assertThat(context.getBean(ResultMetaCodec.class).contentType()).isEqualTo("application/json");
			assertThat(context.getBean(MessageCodec.class).decode(msgpack(encoded)).task()).isEqualTo("t");
		});
	}

	@Test
	void msgpackSerializersBind() {
		this.contextRunner
			.withPropertyValues("taskqueue.task.serializer=msgpack", "taskqueue.backend.result-serializer=MSGPACK",
					"taskqueue.task.compression=zlib")
			.run((context) -> {
				EncodedMessage encoded = context.getBean(MessageCodec.class)
					.encode(TaskMessageBuilder.task("t").args(List.of(2, 3)).build());
				assertThat(encoded.contentType()).isEqualTo("application/x-msgpack");
				assertThat(encoded.contentEncoding()).isEqualTo("binary");
				assertThat(encoded.headers()).containsEntry("compression", "application/x-gzip");
				assertThat(context.getBean(MessageCodec.class).decode(encoded).args()).containsExactly(2, 3);
				ResultMetaCodec results = context.getBean(ResultMetaCodec.class);
				assertThat(results.contentType()).isEqualTo("application/x-msgpack");
				assertThat(results.encode(ResultMeta.of("i1", "SUCCESS", 5))[0] & 0xf0).isEqualTo(0x80);
			});
	}

	@Test
	void acceptContentRefusesOtherContentTypes() {
		this.contextRunner.withPropertyValues("taskqueue.accept-content=application/json").run((context) -> {
			MessageCodec codec = context.getBean(MessageCodec.class);
			EncodedMessage json = codec.encode(TaskMessageBuilder.task("t").build());
			assertThat(codec.decode(json).task()).isEqualTo("t");
			assertThatExceptionOfType(ContentDisallowedException.class).isThrownBy(() -> codec.decode(msgpack(json)))
				.withMessageContaining("accept_content is [json]");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "pickle", "yaml", "application/x-python-serialize", "application/x-yaml" })
	void pickleOrYamlFailsStartUp(String insecure) {
		this.contextRunner.withPropertyValues("taskqueue.accept-content=json," + insecure).run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException failure = invalidValue(context.getStartupFailure());
			assertThat(failure.getName()).isEqualTo("taskqueue.accept-content");
			assertThat(failure.getValue()).isEqualTo("json," + insecure);
			assertThat(failure.getReason()).isEqualTo("'" + insecure + "' is never deserialized: pickle and YAML run "
					+ "code of the sender's choosing; accept json, msgpack or both");
		});
	}

	@Test
	void unknownOrNoSerializerFailsStartUp() {
		this.contextRunner.withPropertyValues("taskqueue.accept-content=json,xml")
			.run((context) -> assertThat(invalidValue(context.getStartupFailure()).getReason())
				.contains("Unknown serializer 'xml'"));
		this.contextRunner.withPropertyValues("taskqueue.accept-content=")
			.run((context) -> assertThat(invalidValue(context.getStartupFailure()).getReason())
				.contains("No content type is accepted"));
	}

	@Test
	void unknownSerializerFailsBinding() {
		this.contextRunner.withPropertyValues("taskqueue.task.serializer=pickle")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("pickle"));
	}

	private static EncodedMessage msgpack(EncodedMessage json) {
		// [[], {}, {}] in msgpack
		return new EncodedMessage(json.headers(), json.properties(), "application/x-msgpack", "binary",
				new byte[] { (byte) 0x93, (byte) 0x90, (byte) 0x80, (byte) 0x80 });
	}

	private static InvalidConfigurationPropertyValueException invalidValue(Throwable failure) {
		for (Throwable ex = failure; ex != null; ex = ex.getCause()) {
			if (ex instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("No InvalidConfigurationPropertyValueException in " + failure, failure);
	}

}
