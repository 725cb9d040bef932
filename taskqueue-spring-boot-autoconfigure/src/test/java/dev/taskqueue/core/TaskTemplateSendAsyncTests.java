package dev.taskqueue.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.routing.Destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link TaskRequest#sendAsync()} and {@link TaskOperations#sendAll}: the futures follow the
 * broker's publications, one failure fails its own future only, and a request that cannot
 * be sent fails its future without reaching the broker.
 */
class TaskTemplateSendAsyncTests {

	private final HoldingBroker broker = new HoldingBroker();

	private final List<String> heard = new CopyOnWriteArrayList<>();

	private final TaskTemplate template = new TaskTemplate(this.broker,
			new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(1)),
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
			DataSize.ofKilobytes(64));

	TaskTemplateSendAsyncTests() {
		this.template.setPublishListeners(List.of(new TaskPublishListener() {

			@Override
			public void published(TaskMessage message, Destination destination, Duration elapsed) {
				TaskTemplateSendAsyncTests.this.heard.add("published " + message.id());
			}

			@Override
			public void publishFailed(TaskMessage message, Throwable failure, Duration elapsed) {
				TaskTemplateSendAsyncTests.this.heard.add("failed " + message.id());
			}

		}));
	}

	@Test
	void theFutureCompletesOnceTheBrokerTookTheMessage() {
		CompletableFuture<AsyncResult<Integer>> sent = this.template.task("tasks.add")
			.id("sum")
			.args(1, 2)
			.sendAsync(Integer.class);
		assertThat(this.broker.held).hasSize(1);
		assertThat(sent).isNotDone();
		assertThat(this.heard).isEmpty();
		this.broker.held.get(0).complete(null);
		assertThat(sent).isCompleted();
		assertThat(sent.join().id()).isEqualTo("sum");
		assertThat(this.heard).containsExactly("published sum");
	}

	@Test
	void aFailedPublicationFailsItsOwnFutureOnly() {
		List<CompletableFuture<AsyncResult<Object>>> sent = this.template.sendAll(List.of(
				this.template.task("tasks.add").id("first"), this.template.task("tasks.add").id("second"),
				this.template.task("tasks.add").id("third")));
		assertThat(this.broker.ids).containsExactly("first", "second", "third");
		this.broker.held.get(1).completeExceptionally(new BrokerException("RabbitMQ refused the message"));
		this.broker.held.get(0).complete(null);
		this.broker.held.get(2).complete(null);
		assertThat(sent.get(0).join().id()).isEqualTo("first");
		assertThat(sent.get(2).join().id()).isEqualTo("third");
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> sent.get(1).join())
			.havingCause()
			.isInstanceOf(TaskSendException.class)
			.withMessage("Task 'tasks.add' was not sent: RabbitMQ refused the message");
		assertThat(this.heard).containsExactly("failed second", "published first", "published third");
	}

	@Test
	void aRequestThatCannotBeSentFailsItsFutureWithoutReachingTheBroker() {
		List<CompletableFuture<AsyncResult<Object>>> sent = this.template.sendAll(
				List.of(this.template.task("tasks.add").id("unserializable").args(new Object()),
						this.template.task("tasks.add").id("sent").args(1, 2)));
		assertThat(this.broker.ids).containsExactly("sent");
		assertThat(sent.get(0)).isCompletedExceptionally();
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> sent.get(0).join())
			.havingCause()
			.isInstanceOf(TaskSendException.class)
			.withMessageStartingWith("Task 'tasks.add' has arguments that cannot be serialized");
		assertThat(sent.get(1)).isNotDone();
	}

	@Test
	void aBrokerWithoutAsynchronousPublishingSendsAtOnce() {
		InMemoryBroker memory = new InMemoryBroker(new JsonMessageCodec());
		TaskTemplate template = new TaskTemplate(memory,
				new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(1)),
				DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
				DataSize.ofKilobytes(64));
		List<TaskRequest> requests = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			requests.add(template.task("tasks.add").args(i, i));
		}
		List<CompletableFuture<AsyncResult<Object>>> sent = template.sendAll(requests);
		assertThat(sent).hasSize(5).allSatisfy((future) -> assertThat(future).isCompleted());
		assertThat(memory.size("celery")).isEqualTo(5);
	}

	/** Holds each publication until the test completes its future. */
	static final class HoldingBroker extends InMemoryBroker {

		final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();

		final List<String> ids = new CopyOnWriteArrayList<>();

		HoldingBroker() {
			super(new JsonMessageCodec());
		}

		@Override
		public CompletableFuture<Void> publishAsync(OutboundMessage message) {
			CompletableFuture<Void> publication = new CompletableFuture<>();
			this.ids.add(message.message().properties().correlationId());
			this.held.add(publication);
			return publication;
		}

	}

}
