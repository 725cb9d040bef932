package dev.taskqueue.autoconfigure;

import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.TaskOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code taskqueue.task.send-after-commit} with a real transaction manager.
 */
class TaskQueueSendAfterCommitTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class))
		.withBean(DataSourceTransactionManager.class, () -> new DataSourceTransactionManager(dataSource()));

	@Test
	void propertyMakesSendWaitForCommit() {
		this.contextRunner.withPropertyValues("taskqueue.task.send-after-commit=true").run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			TransactionTemplate transactions = new TransactionTemplate(
					context.getBean(DataSourceTransactionManager.class));
			transactions.executeWithoutResult((status) -> {
				tasks.send("tasks.add", 1, 2);
				assertThat(broker.size("celery")).as("sent before commit").isZero();
			});
			assertThat(broker.size("celery")).isOne();
			transactions.executeWithoutResult((status) -> {
				tasks.task("tasks.add").args(3, 4).send();
				status.setRollbackOnly();
			});
			assertThat(broker.size("celery")).isOne();
			tasks.send("tasks.add", 5, 6);
			assertThat(broker.size("celery")).as("sent outside a transaction").isEqualTo(2);
		});
	}

	@Test
	void sendInsideTransactionIsImmediateByDefault() {
		this.contextRunner.run((context) -> {
			TaskOperations tasks = context.getBean(TaskOperations.class);
			InMemoryBroker broker = context.getBean(InMemoryBroker.class);
			new TransactionTemplate(context.getBean(DataSourceTransactionManager.class))
				.executeWithoutResult((status) -> {
					tasks.send("tasks.add", 1, 2);
					assertThat(broker.size("celery")).isOne();
					status.setRollbackOnly();
				});
			assertThat(broker.size("celery")).isOne();
		});
	}

	private static JdbcDataSource dataSource() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:api-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return dataSource;
	}

}
