package dev.taskqueue.core;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.BrokerException;
import dev.taskqueue.broker.OutboundMessage;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.routing.DefaultTaskRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for sending after commit with a real transaction manager (H2 in memory).
 */
class TaskTemplateAfterCommitTests {

	private final FailingBroker broker = new FailingBroker();

	private final TaskTemplate template = new TaskTemplate(this.broker,
			new InMemoryResultBackend(new JsonResultMetaCodec(), Duration.ofMinutes(1)),
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
			DataSize.ofKilobytes(64));

	private final TransactionTemplate transactions = new TransactionTemplate(
			new DataSourceTransactionManager(dataSource()));

	@Test
	void commitSendsAfterTheTransaction() {
		String id = this.transactions.execute((status) -> {
			AsyncResult<Object> result = this.template.task("tasks.add").args(1, 2).sendAfterCommit();
			assertThat(this.broker.size("celery")).as("sent before commit").isZero();
			return result.id();
		});
		assertThat(id).isNotEmpty();
		assertThat(this.broker.size("celery")).isOne();
	}

	@Test
	void rollbackSendsNothing() {
		this.transactions.executeWithoutResult((status) -> {
			this.template.task("tasks.add").args(1, 2).sendAfterCommit();
			status.setRollbackOnly();
		});
		assertThat(this.broker.size("celery")).isZero();
	}

	@Test
	void exceptionRollingBackSendsNothing() {
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.execute((status) -> {
			this.template.task("tasks.add").args(1, 2).sendAfterCommit();
			throw new IllegalStateException("rolled back");
		}));
		assertThat(this.broker.size("celery")).isZero();
	}

	@Test
	void outsideATransactionSendsAtOnce() {
		this.template.task("tasks.add").args(1, 2).sendAfterCommit();
		assertThat(this.broker.size("celery")).isOne();
	}

	@Test
	void badArgumentThrowsAtTheCallInsideATransaction() {
		assertThatExceptionOfType(TaskSendException.class).isThrownBy(() -> this.transactions
			.executeWithoutResult((status) -> this.template.task("tasks.add").args(new Object()).sendAfterCommit()));
		assertThat(this.broker.size("celery")).isZero();
	}

	@Test
	void sendAfterCommitSettingDefersPlainSend() {
		this.template.setSendAfterCommit(true);
		this.transactions.executeWithoutResult((status) -> {
			this.template.task("tasks.add").args(1, 2).send();
			assertThat(this.broker.size("celery")).as("sent before commit").isZero();
		});
		assertThat(this.broker.size("celery")).isOne();
		this.transactions.executeWithoutResult((status) -> {
			this.template.send("tasks.add", 1, 2);
			status.setRollbackOnly();
		});
		assertThat(this.broker.size("celery")).isOne();
	}

	@Test
	void withoutTheSettingPlainSendInsideATransactionSendsAtOnce() {
		this.transactions.executeWithoutResult((status) -> {
			this.template.task("tasks.add").args(1, 2).send();
			assertThat(this.broker.size("celery")).isOne();
		});
	}

	@Test
	void publishFailureAfterCommitIsCountedNotThrown() {
		this.broker.failing = true;
		String id = this.transactions.execute((status) -> this.template.task("tasks.add").sendAfterCommit().id());
		assertThat(id).isNotEmpty();
		assertThat(this.template.getAfterCommitFailures()).isOne();
		assertThat(this.broker.size("celery")).isZero();
	}

	@Test
	void sendAsyncInsideATransactionCompletesOnceSentAfterCommit() {
		this.template.setSendAfterCommit(true);
		CompletableFuture<AsyncResult<Object>> sent = this.transactions.execute((status) -> {
			CompletableFuture<AsyncResult<Object>> future = this.template.task("tasks.add").args(1, 2).sendAsync();
			assertThat(future).as("completed before commit").isNotDone();
			return future;
		});
		assertThat(sent).isCompleted();
		assertThat(this.broker.size("celery")).isOne();
	}

	@Test
	void sendAsyncInsideARolledBackTransactionFailsAndSendsNothing() {
		this.template.setSendAfterCommit(true);
		CompletableFuture<AsyncResult<Object>> sent = this.transactions.execute((status) -> {
			status.setRollbackOnly();
			return this.template.task("tasks.add").id("rolled-back").sendAsync();
		});
		assertThatExceptionOfType(CompletionException.class).isThrownBy(sent::join)
			.havingCause()
			.isInstanceOf(TaskSendException.class)
			.withMessage("Task 'tasks.add' (rolled-back) was not sent: its transaction did not commit");
		assertThat(this.broker.size("celery")).isZero();
	}

	@Test
	void sendAsyncFailingAfterCommitFailsItsFutureAndIsCounted() {
		this.template.setSendAfterCommit(true);
		this.broker.failing = true;
		CompletableFuture<AsyncResult<Object>> sent = this.transactions
			.execute((status) -> this.template.task("tasks.add").sendAsync());
		assertThatExceptionOfType(CompletionException.class).isThrownBy(sent::join)
			.havingCause()
			.isInstanceOf(TaskSendException.class)
			.withMessage("Task 'tasks.add' was not sent: broker down");
		assertThat(this.template.getAfterCommitFailures()).isOne();
	}

	private static JdbcDataSource dataSource() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:api-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return dataSource;
	}

	static final class FailingBroker extends InMemoryBroker {

		volatile boolean failing;

		FailingBroker() {
			super(new JsonMessageCodec());
		}

		@Override
		public void publish(OutboundMessage message) {
			if (this.failing) {
				throw new BrokerException("broker down");
			}
			super.publish(message);
		}

	}

}
