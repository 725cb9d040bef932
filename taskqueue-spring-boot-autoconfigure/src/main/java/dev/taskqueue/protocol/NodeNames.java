package dev.taskqueue.protocol;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Celery's node names ({@code celery.utils.nodenames}): {@code celery@<host>} for a worker and
 * {@code gen<pid>@<host>} for the {@code origin} header of a client.
 */
public final class NodeNames {

	private NodeNames() {
	}

	/**
	 * Return the default worker node name, {@code celery@<host>}.
	 * @return the worker node name
	 */
	public static String defaultWorker() {
		return "celery@" + hostName();
	}

	/**
	 * Return the node name a client writes in the {@code origin} header, {@code gen<pid>@<host>}.
	 * @return the client node name
	 */
	public static String client() {
		return "gen" + ManagementFactory.getRuntimeMXBean().getPid() + "@" + hostName();
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
