package dev.taskqueue.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.taskqueue.client.TaskClientDeclarationException;

/**
 * Explains a {@link TaskClientDeclarationException}: which task client method is declared
 * wrongly, and what a valid declaration looks like.
 */
class TaskClientDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<TaskClientDeclarationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, TaskClientDeclarationException cause) {
		String action = "Fix the declaration of " + cause.getMethodName() + ". A task client method returns the"
				+ " result type itself, AsyncResult<T>, CompletableFuture<T>, void or Signature; it has at most one"
				+ " TaskOptions parameter, one parameter per keyword argument, and durations such as '30s' or"
				+ " 'PT30S' (a timeout only where it waits for the result).";
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
