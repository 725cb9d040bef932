package dev.taskqueue.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link MissingTransportException}: which URL asked for which transport, and which
 * dependency provides it.
 */
class MissingTransportFailureAnalyzer extends AbstractFailureAnalyzer<MissingTransportException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingTransportException cause) {
		String description = cause.getProperty() + " is '" + cause.getUrl() + "', which needs the "
				+ cause.getTransport() + " transport, but its library is not on the classpath.";
		String action = "Add the dependency " + cause.getDependency() + " to your build, or change "
				+ cause.getProperty() + " to a transport that is on the classpath (memory:// needs none).";
		return new FailureAnalysis(description, action, cause);
	}

}
