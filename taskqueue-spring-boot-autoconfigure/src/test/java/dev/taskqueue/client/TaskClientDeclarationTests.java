package dev.taskqueue.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.GroupResult;
import dev.taskqueue.core.TaskOptions;
import dev.taskqueue.test.RecordingTaskOperations;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the checks {@link TaskClientProxyFactory} makes of each client method: every
 * problem names the method.
 */
class TaskClientDeclarationTests {

	private final TaskClientProxyFactory factory = TaskClientProxyFactory.builder(new RecordingTaskOperations())
		.build();

	@Test
	void twoParametersForOneKeyword() {
		assertInvalid(TwoForOneKeyword.class, "invoice(long, long)",
				"parameters customerId and id both send the keyword argument 'id'");
	}

	@Test
	void twoTaskOptionsParameters() {
		assertInvalid(TwoOptions.class, "send(TaskOptions, TaskOptions)", "it has two TaskOptions parameters");
	}

	@Test
	void unsupportedReturnTypes() {
		assertInvalid(ReturnsFuture.class, "send()", "it returns java.util.concurrent.Future, which is not supported");
		assertInvalid(ReturnsOptional.class, "send()", "it returns java.util.Optional, which is not supported");
		assertInvalid(ReturnsGroupResult.class, "send()",
				"it returns dev.taskqueue.core.GroupResult, which is not supported");
	}

	@Test
	void aTimeoutOnAMethodThatDoesNotWait() {
		assertInvalid(TimeoutOnVoid.class, "send()",
				"it sets a timeout but does not wait for the result (it returns void)");
	}

	@Test
	void anInvalidDuration() {
		assertInvalid(BadCountdown.class, "send()", "countdown 'soon' is not a valid duration");
		assertInvalid(NegativeTimeout.class, "send()", "@TaskClient timeout '-5s' is not a valid duration");
	}

	@Test
	void anOptionNoMessageMayCarry() {
		assertInvalid(CountdownTooFar.class, "send()", "countdown must be between 0 and 36500 days");
	}

	@Test
	void aPriorityOutOfRange() {
		assertInvalid(BadPriority.class, "send()", "priority must be between 0 and 255 (or -1 for none), got 300");
	}

	@Test
	void aResultTypeThatCannotBeResolved() {
		assertInvalid(GenericMethod.class, "identity(Object)",
				"its result type T cannot be resolved: declare a concrete type");
	}

	@Test
	void notATaskClientInterface() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.factory.createClient(NotAnnotated.class))
			.withMessageContaining(NotAnnotated.class.getName() + " is not an interface annotated with @TaskClient");
	}

	private void assertInvalid(Class<?> client, String method, String problem) {
		assertThatExceptionOfType(TaskClientDeclarationException.class)
			.isThrownBy(() -> this.factory.createClient(client))
			.withMessageStartingWith("Task client method " + client.getName() + "." + method + " is invalid: ")
			.withMessageContaining(problem)
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getMethodName())
				.isEqualTo(client.getName() + "." + method));
	}

	@TaskClient
	interface TwoForOneKeyword {

		AsyncResult<Object> invoice(@Kwarg("id") long customerId, @Kwarg long id);

	}

	@TaskClient
	interface TwoOptions {

		void send(TaskOptions first, TaskOptions second);

	}

	@TaskClient
	interface ReturnsFuture {

		Future<String> send();

	}

	@TaskClient
	interface ReturnsOptional {

		Optional<String> send();

	}

	@TaskClient
	interface ReturnsGroupResult {

		GroupResult send();

	}

	@TaskClient
	interface TimeoutOnVoid {

		@TaskMethod(timeout = "5s")
		void send();

	}

	@TaskClient
	interface BadCountdown {

		@TaskMethod(countdown = "soon")
		void send();

	}

	@TaskClient(timeout = "-5s")
	interface NegativeTimeout {

		String send();

	}

	@TaskClient
	interface CountdownTooFar {

		@TaskMethod(countdown = "36501d")
		void send();

	}

	@TaskClient
	interface BadPriority {

		@TaskMethod(priority = 300)
		void send();

	}

	@TaskClient
	interface GenericMethod {

		<T> T identity(T value);

	}

	interface NotAnnotated {

		List<String> send();

	}

}
