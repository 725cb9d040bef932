package dev.taskqueue.events;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a worker says about itself in its worker events: Celery's {@code SOFTWARE_INFO}
 * ({@code sw_ident}, {@code sw_ver}, {@code sw_sys}) and {@code load_average()}.
 */
final class SystemInfo {

	static final String IDENT = "taskqueue";

	private static final Path PROC_LOADAVG = Path.of("/proc/loadavg");

	private static final Map<String, String> SOFTWARE = Map.of("sw_ident", IDENT, "sw_ver", version(), "sw_sys",
			system(System.getProperty("os.name", "")));

	private SystemInfo() {
	}

	/**
	 * Add {@code sw_ident}, {@code sw_ver} and {@code sw_sys} to the fields of an event, in
	 * Celery's order.
	 * @param fields the fields
	 */
	static void putSoftware(Map<String, ? super String> fields) {
		fields.put("sw_ident", SOFTWARE.get("sw_ident"));
		fields.put("sw_ver", SOFTWARE.get("sw_ver"));
		fields.put("sw_sys", SOFTWARE.get("sw_sys"));
	}

	// The library version from the jar's manifest; "dev" when run from classes.
	private static String version() {
		Package pkg = SystemInfo.class.getPackage();
		String version = (pkg != null) ? pkg.getImplementationVersion() : null;
		return (version != null) ? version : "dev";
	}

	/**
	 * Python's {@code platform.system()} for a Java {@code os.name}: {@code Linux},
	 * {@code Darwin}, {@code Windows}, or the name's first word.
	 * @param osName the {@code os.name} property
	 * @return the system name
	 */
	static String system(String osName) {
		String lower = osName.toLowerCase(Locale.ROOT);
		if (lower.startsWith("linux")) {
			return "Linux";
		}
		if (lower.startsWith("mac") || lower.startsWith("darwin")) {
			return "Darwin";
		}
		if (lower.startsWith("windows")) {
			return "Windows";
		}
		String trimmed = osName.trim();
		int space = trimmed.indexOf(' ');
		return (space > 0) ? trimmed.substring(0, space) : trimmed;
	}

	/**
	 * The 1, 5 and 15 minute load averages rounded up to two decimals, as Celery's
	 * {@code load_average()}: from {@code /proc/loadavg} where it can be read, else the
	 * JVM's one-minute average for all three, else zeros.
	 * @return three numbers
	 */
	static List<Double> loadAverage() {
		double[] proc = readProcLoadAverage();
		if (proc != null) {
			return List.of(roundUp(proc[0]), roundUp(proc[1]), roundUp(proc[2]));
		}
		double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		if (one < 0 || Double.isNaN(one)) {
			return List.of(0.0, 0.0, 0.0);
		}
		double rounded = roundUp(one);
		return List.of(rounded, rounded, rounded);
	}

	private static double @Nullable [] readProcLoadAverage() {
		try {
			if (!Files.isReadable(PROC_LOADAVG)) {
				return null;
			}
			return parse(Files.readString(PROC_LOADAVG, StandardCharsets.US_ASCII));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Read the first three numbers of {@code /proc/loadavg}, such as
	 * {@code 0.74 0.59 0.27 1/123 4567}.
	 * @param text the file's text
	 * @return the numbers, or {@code null} when the text has not three
	 */
	static double @Nullable [] parse(String text) {
		String[] parts = text.trim().split("\\s+", 4);
		if (parts.length < 3) {
			return null;
		}
		try {
			double[] values = { Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
					Double.parseDouble(parts[2]) };
			for (double value : values) {
				if (!(value >= 0) || Double.isInfinite(value)) {
					return null;
				}
			}
			return values;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Python's {@code ceil(value * 1e2) / 1e2}.
	 * @param value the value
	 * @return the value rounded up to two decimals
	 */
	static double roundUp(double value) {
		return Math.ceil(value * 1e2) / 1e2;
	}

}
