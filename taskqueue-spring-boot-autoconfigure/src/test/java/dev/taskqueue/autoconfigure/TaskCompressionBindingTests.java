package dev.taskqueue.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.protocol.MessageCodec;
import dev.taskqueue.protocol.TaskCompression;
import dev.taskqueue.protocol.TaskMessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for binding {@code taskqueue.task.compression} to {@link TaskCompression}.
 */
class TaskCompressionBindingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class));

	@ParameterizedTest
	@CsvSource({ "zlib, ZLIB, application/x-gzip", "gzip, GZIP, application/x-gzip", "ZLIB, ZLIB, application/x-gzip",
			"bzip2, BZIP2, application/x-bz2", "bzip, BZIP, application/x-bz2" })
	void kombuNamesBindAndCompressTheBody(String value, TaskCompression compression, String header) {
		this.contextRunner.withPropertyValues("taskqueue.task.compression=" + value).run((context) -> {
			assertThat(context.getBean(TaskQueueProperties.class).getTask().getCompression()).isEqualTo(compression);
			MessageCodec codec = context.getBean(MessageCodec.class);
			assertThat(codec.encode(TaskMessageBuilder.task("t").build()).headers()).containsEntry("compression",
					header);
		});
	}

	@Test
	void noCompressionByDefault() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(MessageCodec.class).encode(TaskMessageBuilder.task("t").build()).headers())
			.doesNotContainKey("compression"));
	}

	@Test
	void unknownCompressionFailsBinding() {
		this.contextRunner.withPropertyValues("taskqueue.task.compression=lzma")
			.run((context) -> {
				assertThat(context).hasFailed();
				BindException bindFailure = null;
				for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
					bindFailure = (ex instanceof BindException bind) ? bind : bindFailure;
				}
				assertThat(bindFailure).isNotNull();
				assertThat(bindFailure.getName()).hasToString("taskqueue.task.compression");
			});
	}

}
