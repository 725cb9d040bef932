package dev.taskqueue.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * How a connection built from a broker or backend URL trusts its TLS server: the JVM's default
 * trust store, or the trust and key material of an SSL bundle, each with a host name check; or,
 * only when {@code insecure-trust-all} asks for it, any server at all.
 *
 * @param bundle the SSL bundle, or {@code null} for the JVM's default trust store
 * @param insecureTrustAll whether any certificate and any host name are accepted
 */
record ConnectionTls(@Nullable SslBundle bundle, boolean insecureTrustAll) {

	private static final Log logger = LogFactory.getLog(ConnectionTls.class);

	/** Certificate and host name checked against the JVM's default trust store. */
	static final ConnectionTls DEFAULT = new ConnectionTls(null, false);

	/**
	 * The TLS settings of the connection built from a URL, checked against its scheme.
	 * @param url the connection's URL
	 * @param tlsScheme the scheme that asks for TLS, such as {@code rediss}
	 * @param prefix the prefix of the URL and TLS properties, such as {@code taskqueue.broker}
	 * @param ssl the TLS properties
	 * @param sslBundles the application's SSL bundles
	 * @return the settings; {@link #DEFAULT} for a URL without TLS
	 * @throws InvalidConfigurationPropertyValueException when the settings do not fit the URL or
	 * name no bundle
	 */
	static ConnectionTls of(TaskQueueUrl url, String tlsScheme, String prefix, TaskQueueProperties.Ssl ssl,
			ObjectProvider<SslBundles> sslBundles) {
		if (!url.scheme().equals(tlsScheme)) {
			requireNone(ssl, prefix, prefix + ".url=" + url + " does not use TLS: use " + tlsScheme + "://");
			return DEFAULT;
		}
		String bundleName = ssl.getBundle();
		if (ssl.isInsecureTrustAll()) {
			if (bundleName != null) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".ssl.insecure-trust-all", true,
						prefix + ".ssl.bundle and " + prefix
								+ ".ssl.insecure-trust-all=true contradict each other: set only the bundle");
			}
			logger.warn(prefix + ".ssl.insecure-trust-all=true: the TLS connection to " + url
					+ " trusts any certificate and skips the host name check, so anyone on the network path "
					+ "can read and change its traffic, passwords included. Use " + prefix
					+ ".ssl.bundle with the server's CA instead.");
			return new ConnectionTls(null, true);
		}
		return (bundleName != null) ? new ConnectionTls(bundle(bundleName, prefix, sslBundles), false) : DEFAULT;
	}

	/**
	 * Check that no TLS property is set for a connection that is not built from its URL with
	 * TLS, so that none is silently ignored.
	 * @param ssl the TLS properties
	 * @param prefix the prefix of the URL and TLS properties, such as {@code taskqueue.backend}
	 * @param reason why the properties do not apply
	 * @throws InvalidConfigurationPropertyValueException when one is set
	 */
	static void requireNone(TaskQueueProperties.Ssl ssl, String prefix, String reason) {
		if (ssl.getBundle() != null || ssl.isInsecureTrustAll()) {
			String property = prefix + ((ssl.getBundle() != null) ? ".ssl.bundle" : ".ssl.insecure-trust-all");
			Object value = (ssl.getBundle() != null) ? ssl.getBundle() : true;
			throw new InvalidConfigurationPropertyValueException(property, value, property + "=" + value
					+ " applies only to the TLS connection built from an amqps:// or rediss:// " + prefix
					+ ".url, but " + reason);
		}
	}

	private static SslBundle bundle(String name, String prefix, ObjectProvider<SslBundles> sslBundles) {
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".ssl.bundle", name, prefix + ".ssl.bundle="
					+ name + " but the application has no SslBundles bean (Spring Boot's SslAutoConfiguration)");
		}
		try {
			return bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".ssl.bundle", name, prefix + ".ssl.bundle="
					+ name + " names no SSL bundle: define it as spring.ssl.bundle.pem." + name
					+ ".* or spring.ssl.bundle.jks." + name + ".*", ex);
		}
	}

}
