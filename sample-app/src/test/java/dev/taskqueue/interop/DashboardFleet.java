package dev.taskqueue.interop;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.sample.SampleApplication;

/**
 * What the dashboard's tests look at: the sample app in this JVM with its web server on a
 * random port, its worker and its dashboard (actions on), and a Python Celery worker that sends
 * its heartbeats and task events, both on Redis databases of their own (6 and 7, which no other
 * test uses, so that the dashboard sees these two workers only), each consuming a queue of its
 * own.
 */
final class DashboardFleet implements AutoCloseable {

	/** Broker in database 6, result backend in database 7. */
	static final Stack REDIS = new Stack("redis://127.0.0.1:6379/6", "redis://127.0.0.1:6379/7");

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	final String javaQueue = "dash-java-" + this.id;

	final String pythonQueue = "dash-py-" + this.id;

	final String javaNode = "java-dash-" + this.id + "@" + host();

	final String pythonNode = "py-dash-" + this.id + "@" + host();

	private final List<AutoCloseable> started = new ArrayList<>();

	private String baseUrl = "";

	/**
	 * Start the Python worker, then the sample app; stop what started when something fails.
	 * @return this fleet
	 * @throws Exception when either does not start
	 */
	DashboardFleet start() throws Exception {
		try {
			Process python = PythonCelery.startVisibleWorker(this.pythonNode, REDIS.pythonEnv(this.pythonQueue), "-Q",
					this.pythonQueue, "-c", "2");
			this.started.add(() -> PythonCelery.stop(python));
			List<String> args = new ArrayList<>(List.of("--server.port=0", "--taskqueue.worker.hostname=" + this.javaNode,
					"--taskqueue.worker.send-task-events=true", "--taskqueue.dashboard.enabled=true",
					"--taskqueue.dashboard.read-only=false"));
			for (String property : REDIS.javaProperties(this.javaQueue)) {
				args.add("--" + property);
			}
			ConfigurableApplicationContext java = new SpringApplicationBuilder(SampleApplication.class)
				.run(args.toArray(String[]::new));
			this.started.add(java);
			this.baseUrl = "http://127.0.0.1:" + java.getEnvironment().getRequiredProperty("local.server.port");
			return this;
		}
		catch (Exception | Error ex) {
			close();
			throw ex;
		}
	}

	/** The sample's root URL, such as {@code http://127.0.0.1:40123}. */
	String baseUrl() {
		return this.baseUrl;
	}

	/** Stop the sample app and the Python worker, the last started first. */
	@Override
	public void close() throws Exception {
		Exception failure = null;
		for (int i = this.started.size() - 1; i >= 0; i--) {
			try {
				this.started.get(i).close();
			}
			catch (Exception ex) {
				failure = (failure != null) ? failure : ex;
			}
		}
		this.started.clear();
		if (failure != null) {
			throw failure;
		}
	}

	// the name of this machine, as Celery's %h would give it
	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
