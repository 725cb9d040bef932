package dev.taskqueue.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskOptions;
import dev.taskqueue.core.TaskPublishListener;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.Destination;
import dev.taskqueue.test.RecordingTaskOperations;
import dev.taskqueue.test.SentTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link TaskClientProxyFactory}: what a client method sends, recorded by
 * {@link RecordingTaskOperations}.
 */
class TaskClientProxyFactoryTests {

	private final RecordingTaskOperations tasks = new RecordingTaskOperations();

	private final List<TaskMessage> published = new CopyOnWriteArrayList<>();

	private final TaskClientProxyFactory factory = TaskClientProxyFactory.builder(this.tasks)
		.embeddedValueResolver((value) -> value.replace("${billing.queue}", "invoices"))
		.build();

	@BeforeEach
	void recordMessages() {
		this.tasks.setPublishListeners(List.of(new TaskPublishListener() {

			@Override
			public void published(TaskMessage message, Destination destination, Duration elapsed) {
				TaskClientProxyFactoryTests.this.published.add(message);
			}

		}));
	}

	@Test
	void methodsWithoutTaskMethodSendThePrefixAndTheirName() {
		Billing billing = this.factory.createClient(Billing.class);
		AsyncResult<Long> result = billing.total(7L, "EUR");
		SentTask sent = this.tasks.sentOnce("billing.total");
		assertThat(sent.id()).isEqualTo(result.id());
		assertThat(sent.args()).containsExactly(7, "EUR");
		assertThat(sent.kwargs()).isEmpty();
		assertThat(sent.queue()).isEqualTo("invoices");
	}

	@Test
	void kwargParametersAreSentByKeywordAndTheOthersPositionally() {
		this.factory.createClient(Billing.class).invoice(42L, 9.5, "EUR");
		SentTask sent = this.tasks.sentOnce("billing.invoices.create");
		assertThat(sent.args()).containsExactly(42);
		assertThat(sent.kwargs()).containsExactly(Map.entry("amount", 9.5), Map.entry("currency", "EUR"));
	}

	@Test
	void kwargsTrueSendsEveryParameterByItsName() {
		this.factory.createClient(Billing.class).refund(3L, 1.25);
		assertThat(this.tasks.sentOnce("billing.refund").kwargs()).containsExactly(Map.entry("customerId", 3),
				Map.entry("amount", 1.25));
	}

	@Test
	void varargsAreSpreadIntoPositionalArguments() {
		this.factory.createClient(Billing.class).sum(1, 2, 3);
		assertThat(this.tasks.sentOnce("billing.sum").args()).containsExactly(1, 2, 3);
	}

	@Test
	void taskMethodOptionsAreSentWithTheMessage() {
		Instant before = Instant.now();
		this.factory.createClient(Billing.class).close(5L);
		SentTask sent = this.tasks.sentOnce("billing.close");
		assertThat(sent.queue()).isEqualTo("closing");
		assertThat(sent.priority()).isEqualTo(7);
		assertThat(sent.eta()).isBetween(before.plusSeconds(60), Instant.now().plusSeconds(60));
		assertThat(sent.expires()).isBetween(before.plusSeconds(3600), Instant.now().plusSeconds(3600));
		TaskMessage message = this.published.get(0);
		assertThat(message.headers().timeLimit().hard()).isCloseTo(30.0, within(0.001));
		assertThat(message.headers().timeLimit().soft()).isCloseTo(20.0, within(0.001));
		assertThat(message.headers().ignoreResult()).isTrue();
	}

	@Test
	void aTaskOptionsParameterWinsOverTheDeclaredOptionsCallByCall() {
		Billing billing = this.factory.createClient(Billing.class);
		billing.close(5L, TaskOptions.none().queue("urgent").priority(1).taskId("close-5"));
		billing.close(6L, null);
		SentTask first = this.tasks.sent("billing.close").get(0);
		assertThat(first.id()).isEqualTo("close-5");
		assertThat(first.queue()).isEqualTo("urgent");
		assertThat(first.priority()).isEqualTo(1);
		assertThat(first.args()).containsExactly(5);
		SentTask second = this.tasks.sent("billing.close").get(1);
		assertThat(second.queue()).isEqualTo("closing");
		assertThat(second.priority()).isEqualTo(7);
	}

	@Test
	void voidMethodsSendAndReturnNothing() {
		this.factory.createClient(Billing.class).notify("hello");
		assertThat(this.tasks.sentOnce("billing.notify").args()).containsExactly("hello");
	}

	@Test
	void signatureMethodsBuildTheCallWithoutSendingIt() {
		Signature signature = this.factory.createClient(Billing.class).totalLater(4L, TaskOptions.none().countdown(
				Duration.ofSeconds(3)));
		assertThat(this.tasks.sent()).isEmpty();
		assertThat(signature.task()).isEqualTo("billing.total");
		assertThat(signature.args()).containsExactly(4L);
		assertThat(signature.options()).containsEntry("queue", "invoices")
			.containsEntry("countdown", 3.0)
			.containsEntry("time_limit", 10.0)
			.containsEntry("ignore_result", true);
		AsyncResult<Object> sent = this.tasks.send(signature);
		assertThat(this.tasks.sentOnce("billing.total").id()).isEqualTo(sent.id());
	}

	@Test
	void futureMethodsSendWithoutWaitingAndUseTheIdOfTheCall() {
		CompletableFuture<Long> future = this.factory.createClient(Billing.class).totalAsync(8L,
				TaskOptions.none().taskId("async-8"));
		assertThat(this.tasks.sentOnce("billing.total").id()).isEqualTo("async-8");
		assertThat(future).isNotDone();
		future.cancel(false);
	}

	@Test
	void defaultMethodsRunAsWrittenAndObjectMethodsAreTheProxysOwn() {
		Billing billing = this.factory.createClient(Billing.class);
		assertThat(billing.totalInEuros(9L).id()).isEqualTo(this.tasks.sentOnce("billing.total").id());
		assertThat(this.tasks.sentOnce("billing.total").args()).containsExactly(9, "EUR");
		assertThat(billing).hasToString("TaskClient[" + Billing.class.getName() + "]").isEqualTo(billing);
		assertThat(billing).isNotEqualTo(this.factory.createClient(Billing.class));
		assertThat(billing.hashCode()).isEqualTo(System.identityHashCode(billing));
	}

	@Test
	void clientMethodsDescribeEveryMethodOfTheClientsCreated() {
		this.factory.createClient(Billing.class);
		assertThat(this.factory.clientMethods()).extracting(TaskClientMethod::method, TaskClientMethod::task)
			.contains(org.assertj.core.groups.Tuple.tuple("invoice(long, double, String)", "billing.invoices.create"),
					org.assertj.core.groups.Tuple.tuple("close(long)", "billing.close"))
			.noneMatch((tuple) -> tuple.toList().contains("totalInEuros(long)"));
		assertThat(this.factory.clientMethods()).allSatisfy(
				(method) -> assertThat(method.client()).isEqualTo(Billing.class.getName()));
		assertThat(this.factory.clientMethods()).filteredOn((method) -> method.method().equals("close(long)"))
			.singleElement()
			.satisfies((method) -> assertThat(method.queue()).isEqualTo("closing"));
	}

	@TaskClient(prefix = "billing", queue = "${billing.queue}", timeout = "5s")
	interface Billing {

		AsyncResult<Long> total(long customerId, String currency);

		@TaskMethod(name = "billing.total", timeLimit = "10s", ignoreResult = true)
		Signature totalLater(long customerId, TaskOptions options);

		@TaskMethod("billing.total")
		CompletableFuture<Long> totalAsync(long customerId, TaskOptions options);

		@TaskMethod("billing.invoices.create")
		AsyncResult<Map<String, Object>> invoice(long customerId, @Kwarg("amount") double amount,
				@Kwarg String currency);

		@TaskMethod(kwargs = true)
		AsyncResult<Object> refund(long customerId, double amount);

		AsyncResult<Long> sum(int... numbers);

		@TaskMethod(queue = "closing", priority = 7, countdown = "60", expires = "PT1H", timeLimit = "30s",
				softTimeLimit = "20s", ignoreResult = true)
		void close(long customerId);

		@TaskMethod(name = "billing.close", queue = "closing", priority = 7)
		void close(long customerId, TaskOptions options);

		void notify(String message);

		default AsyncResult<Long> totalInEuros(long customerId) {
			return total(customerId, "EUR");
		}

	}

}
