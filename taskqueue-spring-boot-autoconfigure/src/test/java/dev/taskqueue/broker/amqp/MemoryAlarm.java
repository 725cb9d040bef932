package dev.taskqueue.broker.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A memory alarm on the local RabbitMQ node, which blocks every publishing connection:
 * raised with {@code rabbitmqctl set_vm_memory_high_watermark 0}, cleared by setting the
 * watermark back to the node's configured value. Clear it in a {@code finally} or an
 * {@code @AfterEach}: other tests share the node.
 */
final class MemoryAlarm {

	private boolean raised;

	void raise() {
		this.raised = true;
		run("set_vm_memory_high_watermark", "0");
	}

	/** Set the watermark back to the node's configured one (which the command above leaves alone). */
	void clear() {
		if (this.raised) {
			run("eval", "{ok, W} = application:get_env(rabbit, vm_memory_high_watermark), "
					+ "vm_memory_monitor:set_vm_memory_high_watermark(W).");
			this.raised = false;
		}
	}

	private static void run(String... arguments) {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
		command.addAll(List.of(arguments));
		TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(30), command);
		assertThat(result.exit()).as("%s: %s", command, result.output()).isZero();
	}

}
