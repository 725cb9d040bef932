package dev.taskqueue.events;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SystemInfo}: Celery's {@code load_average()} and {@code SOFTWARE_INFO}.
 */
class SystemInfoTests {

	@Test
	void loadAverageIsReadFromProcAndRoundedUpToTwoDecimals() {
		assertThat(SystemInfo.parse("0.74 0.59 0.27 1/123 4567\n")).containsExactly(0.74, 0.59, 0.27);
		assertThat(SystemInfo.parse("0.74 0.59")).isNull();
		assertThat(SystemInfo.parse("a b c d")).isNull();
		assertThat(SystemInfo.parse("-1 0 0 1/1 1")).isNull();
		assertThat(SystemInfo.roundUp(0.741)).isEqualTo(0.75);
		assertThat(SystemInfo.roundUp(0.74)).isEqualTo(0.74);
		assertThat(SystemInfo.roundUp(0.0)).isEqualTo(0.0);
		assertThat(SystemInfo.loadAverage()).hasSize(3).allSatisfy((value) -> assertThat(value).isNotNegative());
	}

	@Test
	void systemIsNamedAsPythonsPlatformSystem() {
		assertThat(SystemInfo.system("Linux")).isEqualTo("Linux");
		assertThat(SystemInfo.system("Mac OS X")).isEqualTo("Darwin");
		assertThat(SystemInfo.system("Windows 11")).isEqualTo("Windows");
		assertThat(SystemInfo.system("FreeBSD")).isEqualTo("FreeBSD");
		assertThat(SystemInfo.system("SunOS")).isEqualTo("SunOS");
	}

	@Test
	void softwareFieldsInCeleryOrder() {
		Map<String, Object> fields = new LinkedHashMap<>();

		SystemInfo.putSoftware(fields);

		assertThat(fields.keySet()).containsExactly("sw_ident", "sw_ver", "sw_sys");
		assertThat(fields).containsEntry("sw_ident", "taskqueue").containsEntry("sw_ver", "dev");
	}

}
