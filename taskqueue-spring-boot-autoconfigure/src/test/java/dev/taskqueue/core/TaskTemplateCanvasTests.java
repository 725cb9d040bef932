package dev.taskqueue.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.ChordPart;
import dev.taskqueue.backend.DisabledResultBackend;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.ConsumerSettings;
import dev.taskqueue.broker.Consumption;
import dev.taskqueue.broker.Delivery;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What {@link TaskTemplate} puts on the wire for canvas, as Celery 5.2's client does: the first
 * step of a chain with the rest reversed in {@code embed.chain}, group members with the group
 * id and index, chord header members with the frozen body in {@code embed.chord} after the
 * chord size is set.
 */
class TaskTemplateCanvasTests {

	private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(1));

	private final TaskTemplate template = template(this.backend);

	@Test
	void chainSendsItsFirstStepWithTheOthersReversedAndFrozen() {
		AsyncResult<Object> last = this.template.chain(Signature.of("tasks.add", 2, 2), Signature.of("tasks.add", 4),
				Signature.of("tasks.mul", 8).queue("other"));
		List<TaskMessage> sent = take("celery", 1);
		TaskMessage first = sent.get(0);
		assertThat(first.task()).isEqualTo("tasks.add");
		assertThat(first.args()).containsExactly(2, 2);
		List<Map<String, Object>> chain = first.embed().chain();
		assertThat(chain).extracting((step) -> step.get("task")).containsExactly("tasks.mul", "tasks.add");
		Map<?, ?> lastOptions = (Map<?, ?>) chain.get(0).get("options");
		assertThat(lastOptions.get("task_id")).isEqualTo(last.id());
		assertThat(lastOptions.get("queue")).isEqualTo("other");
		assertThat(((Map<?, ?>) chain.get(1).get("options")).get("task_id")).isNotNull().isNotEqualTo(first.id());
		assertThat(first.headers().rootId()).isEqualTo(first.id());
	}

	@Test
	void groupSendsEveryMemberWithTheGroupIdAndItsIndex() {
		GroupResult group = this.template.group(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2)
			.countdown(Duration.ofSeconds(30)).priority(3));
		List<TaskMessage> sent = new ArrayList<>(take("celery", 2));
		// the priority reorders them in the queue
		sent.sort(java.util.Comparator.comparing((m) -> m.headers().groupIndex()));
		assertThat(sent).extracting(TaskMessage::id)
			.containsExactlyElementsOf(group.results().stream().map(AsyncResult::id).toList());
		assertThat(sent).extracting((m) -> m.headers().group()).containsOnly(group.id());
		assertThat(sent).extracting((m) -> m.headers().groupIndex()).containsExactly(0, 1);
		assertThat(sent.get(1).headers().eta()).isEqualTo(NOW.plusSeconds(30));
		assertThat(sent.get(1).properties().priority()).isEqualTo(3);
	}

	@Test
	void aGroupsOwnOptionsGoToEveryMemberOverTheirOwnAsInCelery() {
		Signature group = Signature.group(Signature.of("tasks.add", 1, 1).priority(1), Signature.of("tasks.add", 2, 2))
			.set("priority", 7)
			.set("queue", "other");
		GroupResult sent = this.template.group(group);
		List<TaskMessage> members = take("other", 2);
		assertThat(members).extracting((m) -> m.properties().priority()).containsOnly(7);
		assertThat(members).extracting(TaskMessage::id)
			.containsExactlyInAnyOrderElementsOf(sent.results().stream().map(AsyncResult::id).toList());
	}

	@Test
	void chordSetsItsSizeThenSendsTheHeaderWithTheFrozenBody() {
		AsyncResult<Object> body = this.template.chord(Signature.of("tasks.add", 1, 1), Signature.of("tasks.add", 2, 2))
			.body(Signature.of("tasks.xsum"));
		List<TaskMessage> sent = take("celery", 2);
		String groupId = sent.get(0).headers().group();
		assertThat(groupId).isNotNull();
		Map<String, Object> chord = sent.get(1).embed().chord();
		assertThat(chord.get("task")).isEqualTo("tasks.xsum");
		assertThat(((Map<?, ?>) chord.get("options")).get("task_id")).isEqualTo(body.id());
		assertThat(this.backend.canvasStore().addChordPart(groupId, 0, new ChordPart("a", "SUCCESS", 2))).isNull();
		assertThat(this.backend.canvasStore().addChordPart(groupId, 1, new ChordPart("b", "SUCCESS", 4)))
			.as("the size was set to the header's").hasSize(2);
	}

	@Test
	void chordOnABackendThatCannotJoinIsRefusedBeforeAnythingIsSent() {
		TaskTemplate noChords = template(new DisabledResultBackend());
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> noChords.chord(Signature.of("tasks.add", 1, 1)).body(Signature.of("tasks.xsum")))
			.withMessageContaining("cannot join chords");
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> noChords.chain(Signature.group(Signature.of("tasks.add", 1, 1)), Signature.of("tasks.xsum")))
			.as("a group followed by a task is a chord")
			.withMessageContaining("cannot join chords");
		assertThat(take("celery", 0)).isEmpty();
	}

	@Test
	void invalidOptionsAreRefusedWithTheOptionNamed() {
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> this.template.send(Signature.of("tasks.add").set("countdown", "soon")))
			.withMessageContaining("countdown");
		assertThatExceptionOfType(TaskSendException.class)
			.isThrownBy(() -> this.template.send(Signature.group(Signature.of("tasks.add"))))
			.withMessageContaining("group(...)");
	}

	private TaskTemplate template(ResultBackend backend) {
		return new TaskTemplate(this.broker, backend, DefaultTaskRouter.withDefaultQueue("celery"),
				new JsonMessageCodec(), CeleryJson.newMapper(), DataSize.ofMegabytes(1), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private List<TaskMessage> take(String queue, int count) {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		List<TaskMessage> messages = new ArrayList<>();
		try (Consumption consumption = this.broker.consume(new ConsumerSettings(List.of(queue), 10), deliveries::add)) {
			for (int i = 0; i < count; i++) {
				Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
				assertThat(delivery).as("message %d on %s", i, queue).isNotNull();
				delivery.ack();
				messages.add(delivery.message());
			}
			Delivery extra = deliveries.poll(100, TimeUnit.MILLISECONDS);
			assertThat(extra).as("no more messages on " + queue).isNull();
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		return messages;
	}

}
