package dev.taskqueue.worker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TaskMessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskMdc}.
 */
class TaskMdcTests {

	@AfterEach
	void clear() {
		MDC.clear();
	}

	@Test
	void taskIsInTheMdcWhileItRunsAndGoneAfter() {
		TaskMessage message = TaskMessageBuilder.task("tasks.add").id("mdc-1").parent("mdc-root", "mdc-parent").build();
		try (TaskMdc mdc = TaskMdc.open(message)) {
			assertThat(MDC.get("task_id")).isEqualTo("mdc-1");
			assertThat(MDC.get("task_name")).isEqualTo("tasks.add");
			assertThat(MDC.get("task_root_id")).isEqualTo("mdc-root");
		}
		assertThat(MDC.get("task_id")).isNull();
		assertThat(MDC.get("task_name")).isNull();
		assertThat(MDC.get("task_root_id")).isNull();
	}

	@Test
	void taskRunInsideAnotherGivesTheOuterTaskItsValuesBack() {
		TaskMessage outer = TaskMessageBuilder.task("tasks.outer").id("mdc-outer").build();
		TaskMessage inner = TaskMessageBuilder.task("tasks.inner\nforged").id("mdc-inner").build();
		try (TaskMdc outerMdc = TaskMdc.open(outer)) {
			try (TaskMdc innerMdc = TaskMdc.open(inner)) {
				assertThat(MDC.get("task_id")).isEqualTo("mdc-inner");
				assertThat(MDC.get("task_name")).isEqualTo("tasks.inner?forged");
			}
			assertThat(MDC.get("task_id")).isEqualTo("mdc-outer");
			assertThat(MDC.get("task_name")).isEqualTo("tasks.outer");
			assertThat(MDC.get("task_root_id")).isEqualTo("mdc-outer");
		}
		assertThat(MDC.get("task_id")).isNull();
	}

}
