package dev.taskqueue.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * A Redis master, one replica and three Sentinels of a test's own, on loopback ports, started
 * with Debian's {@code redis-server} and {@code redis-sentinel}: the master on {@code basePort},
 * the replica on {@code basePort + 1}, the Sentinels on {@code basePort + 10000} to
 * {@code + 10002}. The Sentinels see a master down after two seconds and agree by two; nothing
 * is kept on disk. {@link #failover()} asks the Sentinels to fail over, {@link #killMaster()}
 * kills the master's process as a crash would.
 */
public final class RedisSentinels implements AutoCloseable {

	private static final int SENTINELS = 3;

	private static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);

	private final Path dir;

	private final int basePort;

	private final String masterName;

	private RedisSentinels(Path dir, int basePort, String masterName) {
		this.dir = dir;
		this.basePort = basePort;
		this.masterName = masterName;
	}

	/**
	 * Start a master, its replica and three Sentinels, and wait until the Sentinels know the
	 * replica and the other Sentinels.
	 * @param dir a directory of the test's own, for logs and the Sentinels' configuration
	 * @param basePort the master's port; the replica and Sentinels take the ports above
	 * @param masterName the name the Sentinels monitor the master under
	 * @return the running group, to close after the test
	 */
	public static RedisSentinels start(Path dir, int basePort, String masterName) {
		RedisSentinels group = new RedisSentinels(dir, basePort, masterName);
		group.stopAll();
		RedisServer.startOwn(basePort, dir(dir, "master"));
		group.startReplica(basePort + 1, basePort);
		for (int i = 0; i < SENTINELS; i++) {
			group.startSentinel(group.sentinelPort(i));
		}
		await().atMost(FAILOVER_WAIT).until(() -> group.sentinelsAgree() && "1".equals(group.sentinelField("num-slaves"))
				&& "2".equals(group.sentinelField("num-other-sentinels")) && group.replicaInSync());
		return group;
	}

	/**
	 * The Celery-style URL of the Sentinels, for a database of the master.
	 * @param database the database number
	 * @return {@code sentinel://127.0.0.1:<port>/<db>;sentinel://...}
	 */
	public String url(int database) {
		return IntStream.range(0, SENTINELS)
			.mapToObj((i) -> "sentinel://" + RedisServer.HOST + ":" + sentinelPort(i) + ((i == 0) ? "/" + database : ""))
			.collect(Collectors.joining(";"));
	}

	/**
	 * The name the Sentinels monitor the master under.
	 * @return the master name
	 */
	public String masterName() {
		return this.masterName;
	}

	/**
	 * The port of the master, as the first Sentinel answers.
	 * @return the port
	 */
	public int masterPort() {
		String[] address = redisCli(sentinelPort(0), "SENTINEL", "get-master-addr-by-name", this.masterName).trim()
			.split("\\s+");
		return Integer.parseInt(address[address.length - 1]);
	}

	/**
	 * The port of the server that is not the master.
	 * @return the port
	 */
	public int replicaPort() {
		return (masterPort() == this.basePort) ? this.basePort + 1 : this.basePort;
	}

	/**
	 * Ask the Sentinels to fail over (the master is demoted to a replica of the promoted one)
	 * and wait until every Sentinel names the new master and that master takes writes.
	 * @return the port of the new master
	 */
	public int failover() {
		int old = masterPort();
		redisCli(sentinelPort(0), "SENTINEL", "FAILOVER", this.masterName);
		return awaitNewMaster(old);
	}

	/**
	 * Kill the master's process (SIGKILL), wait until the Sentinels promoted the replica, and
	 * start the old master again as a replica of the new one, and wait until it is in sync.
	 * @return the port of the new master
	 */
	public int killMaster() {
		int old = masterPort();
		kill(old);
		int promoted = awaitNewMaster(old);
		startReplica(old, promoted);
		await().atMost(FAILOVER_WAIT).until(this::replicaInSync);
		return promoted;
	}

	/**
	 * Kill a server's process (SIGKILL) and wait until it is gone.
	 * @param port its port
	 */
	public void kill(int port) {
		String pid = infoField(port, "process_id");
		if (pid != null) {
			TestProcesses.run(Duration.ofSeconds(10), List.of("kill", "-9", pid));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !RedisServer.ping(port));
	}

	/**
	 * Whether the replica follows the master: its link is up and its first synchronization
	 * done, so it receives every write as the master makes it.
	 * @return whether it is in sync
	 */
	public boolean replicaInSync() {
		int replica = replicaPort();
		return "up".equals(infoField(replica, "master_link_status"))
				&& "0".equals(infoField(replica, "master_sync_in_progress"))
				&& String.valueOf(masterPort()).equals(infoField(replica, "master_port"));
	}

	private int awaitNewMaster(int old) {
		await().atMost(FAILOVER_WAIT)
			.until(() -> sentinelsAgree() && masterPort() != old && "master".equals(infoField(masterPort(), "role")));
		return masterPort();
	}

	private boolean sentinelsAgree() {
		List<String> answers = new ArrayList<>();
		for (int i = 0; i < SENTINELS; i++) {
			answers.add(redisCli(sentinelPort(i), "SENTINEL", "get-master-addr-by-name", this.masterName).trim());
		}
		return !answers.get(0).isEmpty() && answers.stream().distinct().count() == 1;
	}

	private @Nullable String sentinelField(String name) {
		String[] lines = redisCli(sentinelPort(0), "SENTINEL", "MASTER", this.masterName).split("\n");
		for (int i = 0; i + 1 < lines.length; i += 2) {
			if (lines[i].trim().equals(name)) {
				return lines[i + 1].trim();
			}
		}
		return null;
	}

	private @Nullable String infoField(int port, String name) {
		for (String line : redisCli(port, "INFO").split("\r?\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1).trim();
			}
		}
		return null;
	}

	private int sentinelPort(int index) {
		return this.basePort + 10000 + index;
	}

	private void startReplica(int port, int masterPort) {
		Path home = dir(this.dir, "redis-" + port);
		TestProcesses.run(Duration.ofSeconds(10), List.of("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1",
				"--port", Integer.toString(port), "--save", "", "--appendonly", "no", "--dir", home.toString(),
				"--logfile", home.resolve("redis.log").toString(), "--replicaof", RedisServer.HOST,
				Integer.toString(masterPort)));
		await().atMost(Duration.ofSeconds(10)).until(() -> RedisServer.ping(port));
	}

	private void startSentinel(int port) {
		Path home = dir(this.dir, "sentinel-" + port);
		Path config = home.resolve("sentinel.conf");
		try {
			Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "daemonize yes",
					"dir " + home, "logfile " + home.resolve("sentinel.log"),
					"sentinel monitor " + this.masterName + " " + RedisServer.HOST + " " + this.basePort + " 2",
					"sentinel down-after-milliseconds " + this.masterName + " 2000",
					"sentinel failover-timeout " + this.masterName + " 10000",
					"sentinel parallel-syncs " + this.masterName + " 1", ""));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		TestProcesses.run(Duration.ofSeconds(10), List.of("redis-sentinel", config.toString()));
		await().atMost(Duration.ofSeconds(10)).until(() -> RedisServer.ping(port));
	}

	private static String redisCli(int port, String... command) {
		return RedisServer.cli(port, command).stdout();
	}

	private static Path dir(Path parent, String name) {
		try {
			return Files.createDirectories(parent.resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void stopAll() {
		for (int i = 0; i < SENTINELS; i++) {
			if (RedisServer.ping(sentinelPort(i))) {
				redisCli(sentinelPort(i), "SHUTDOWN");
			}
		}
		for (int port : new int[] { this.basePort, this.basePort + 1 }) {
			if (RedisServer.ping(port)) {
				RedisServer.stop(port);
			}
		}
	}

	/** Stop every server and Sentinel of the group. */
	@Override
	public void close() {
		stopAll();
	}

}
