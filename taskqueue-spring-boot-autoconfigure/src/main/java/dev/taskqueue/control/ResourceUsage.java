package dev.taskqueue.control;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code rusage} of {@code stats}, Python's {@code getrusage(RUSAGE_SELF)} fields filled
 * from the JVM: CPU times from the management beans, the peak resident size ({@code VmHWM},
 * KiB), page faults and context switches from {@code /proc/self} where there is one, 0 for
 * what the JVM cannot tell; {@code "N/A"} when it cannot tell the CPU times.
 */
final class ResourceUsage {

	private static final Path STATUS = Path.of("/proc/self/status");

	private static final Path STAT = Path.of("/proc/self/stat");

	private ResourceUsage() {
	}

	static Object current() {
		long cpu = processCpuNanos();
		if (cpu < 0) {
			return "N/A";
		}
		long user = userNanos();
		Map<String, String> status = status();
		List<String> stat = stat();
		Map<String, Object> usage = new LinkedHashMap<>();
		usage.put("utime", Math.min(user, cpu) / 1e9);
		usage.put("stime", Math.max(0, cpu - user) / 1e9);
		usage.put("maxrss", leadingNumber(status.get("VmHWM")));
		usage.put("ixrss", 0);
		usage.put("idrss", 0);
		usage.put("isrss", 0);
		usage.put("minflt", field(stat, 7));
		usage.put("majflt", field(stat, 9));
		usage.put("nswap", 0);
		usage.put("inblock", 0);
		usage.put("oublock", 0);
		usage.put("msgsnd", 0);
		usage.put("msgrcv", 0);
		usage.put("nsignals", 0);
		usage.put("nvcsw", leadingNumber(status.get("voluntary_ctxt_switches")));
		usage.put("nivcsw", leadingNumber(status.get("nonvoluntary_ctxt_switches")));
		return usage;
	}

	private static long processCpuNanos() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
			return sun.getProcessCpuTime();
		}
		return -1;
	}

	// the user time of the live platform threads: the rest of the process' CPU time is system time
	private static long userNanos() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
			return 0;
		}
		long user = 0;
		for (long id : threads.getAllThreadIds()) {
			long time = threads.getThreadUserTime(id);
			if (time > 0) {
				user += time;
			}
		}
		return user;
	}

	private static Map<String, String> status() {
		Map<String, String> fields = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(STATUS)) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// no /proc: these fields stay 0
		}
		return fields;
	}

	// the fields after the command name, which may hold spaces: the state is the first
	private static List<String> stat() {
		try {
			String line = Files.readString(STAT);
			int end = line.lastIndexOf(')');
			return (end < 0) ? List.of() : List.of(line.substring(end + 1).trim().split("\\s+"));
		}
		catch (IOException | RuntimeException ex) {
			return List.of();
		}
	}

	private static long field(List<String> fields, int index) {
		return (index < fields.size()) ? number(fields.get(index)) : 0;
	}

	// "46148 kB" and plain counts alike
	private static long leadingNumber(@Nullable String value) {
		return (value != null) ? number(value.split("\\s+")[0]) : 0;
	}

	private static long number(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
