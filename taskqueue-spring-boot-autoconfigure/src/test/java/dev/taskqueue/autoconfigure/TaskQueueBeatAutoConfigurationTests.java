package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.taskqueue.beat.BeatLeadership;
import dev.taskqueue.beat.BeatScheduler;
import dev.taskqueue.beat.BeatScheduler.EntryStatus;
import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.Periodic;
import dev.taskqueue.beat.ScheduleEntry;
import dev.taskqueue.beat.amqp.AmqpBeatLeadership;
import dev.taskqueue.beat.amqp.AmqpBeatStore;
import dev.taskqueue.beat.memory.InMemoryBeatLeadership;
import dev.taskqueue.beat.memory.InMemoryBeatStore;
import dev.taskqueue.beat.redis.RedisBeatLeadership;
import dev.taskqueue.beat.redis.RedisBeatStore;
import dev.taskqueue.core.CeleryTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskQueueBeatAutoConfiguration}: off by default; the leadership and store of
 * the transport in use, or the application's own; entries from the properties, from
 * {@link ScheduleEntry} beans and from {@link Periodic @Periodic} tasks; invalid entries fail
 * start-up naming the property. No worker consumes and no stub of Redis or RabbitMQ leads, so
 * nothing is written to the brokers.
 */
class TaskQueueBeatAutoConfigurationTests {

	private static final String ENABLED = "taskqueue.beat.enabled=true";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String KEY = "taskqueue.beat.key=beatconfig-tests";

	private static final String ENTRY = "taskqueue.beat.schedule.";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueAutoConfiguration.class,
				TaskQueueWorkerAutoConfiguration.class, TaskQueueBeatAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.auto-startup=false");

	@Test
	void beatIsOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(BeatScheduler.class)
			.doesNotHaveBean(BeatLeadership.class)
			.doesNotHaveBean(BeatStore.class));
	}

	@Test
	void inMemoryBrokerLeadsAndStoresInThisJvm() {
		this.contextRunner.withPropertyValues(ENABLED).run((context) -> {
			assertThat(context).hasSingleBean(BeatScheduler.class);
			assertThat(context.getBean(BeatLeadership.class)).isInstanceOf(InMemoryBeatLeadership.class);
			assertThat(context.getBean(BeatStore.class)).isInstanceOf(InMemoryBeatStore.class);
			assertThat(context.getBean(BeatScheduler.class).isRunning()).isTrue();
		});
	}

	@Test
	void redisBrokerKeepsBeatInRedis() {
		this.contextRunner.withPropertyValues(ENABLED, KEY, "taskqueue.broker.url=redis://127.0.0.1:6379/12")
			.run((context) -> {
				assertThat(context.getBean(BeatLeadership.class)).isInstanceOf(RedisBeatLeadership.class)
					.extracting(BeatLeadership::describe)
					.isEqualTo("redis beatconfig-tests.leader");
				assertThat(context.getBean(BeatStore.class)).isInstanceOf(RedisBeatStore.class);
				BeatScheduler scheduler = context.getBean(BeatScheduler.class);
				await().atMost(WAIT).until(scheduler::isLeader);
			});
	}

	@Test
	void redisBackendNextToRabbitMqKeepsBeatInRedis() {
		this.contextRunner
			.withPropertyValues(ENABLED, KEY, "taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//",
					"taskqueue.backend.url=redis://127.0.0.1:6379/12")
			.run((context) -> {
				assertThat(context.getBean(BeatLeadership.class)).isInstanceOf(RedisBeatLeadership.class);
				assertThat(context.getBean(BeatStore.class)).isInstanceOf(RedisBeatStore.class);
			});
	}

	@Test
	void rabbitMqOnlyKeepsBeatOnRabbitMq() {
		this.contextRunner
			.withPropertyValues(ENABLED, KEY, "taskqueue.broker.url=amqp://guest:guest@127.0.0.1:5672//",
					"taskqueue.backend.url=rpc://")
			.run((context) -> {
				assertThat(context.getBean(BeatLeadership.class)).isInstanceOf(AmqpBeatLeadership.class)
					.extracting(BeatLeadership::describe)
					.isEqualTo("rabbitmq exclusive queue beatconfig-tests.leader");
				assertThat(context.getBean(BeatStore.class)).isInstanceOf(AmqpBeatStore.class);
				BeatScheduler scheduler = context.getBean(BeatScheduler.class);
				await().atMost(WAIT).until(scheduler::isLeader);
			});
	}

	@Test
	void applicationsOwnLeadershipAndStoreReplaceTheTransports() {
		this.contextRunner.withPropertyValues(ENABLED, KEY, "taskqueue.broker.url=redis://127.0.0.1:6379/12")
			.withBean("myLeadership", BeatLeadership.class, InMemoryBeatLeadership::new)
			.withBean("myStore", BeatStore.class, InMemoryBeatStore::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(BeatLeadership.class).hasBean("myLeadership");
				assertThat(context).hasSingleBean(BeatStore.class).hasBean("myStore");
			});
	}

	@Test
	void everyEntryIsBoundFromTheProperties() {
		this.contextRunner
			.withPropertyValues(ENABLED, ENTRY + "add-every-10s.task=tasks.add", ENTRY + "add-every-10s.every=10s",
					ENTRY + "hourly.task=tasks.report", ENTRY + "hourly.every=PT1H", ENTRY + "seconds.task=t",
					ENTRY + "seconds.every=30", "taskqueue.beat.timezone=Asia/Shanghai", "taskqueue.beat.lease=12s")
			.run((context) -> {
				assertThat(context.getBean(BeatScheduler.class).entries()).extracting(EntryStatus::name,
						EntryStatus::task, EntryStatus::schedule)
					.containsExactly(tuple("add-every-10s", "tasks.add", "every PT10S"),
							tuple("hourly", "tasks.report", "every PT1H"),
							tuple("seconds", "t", "every PT30S"));
				TaskQueueProperties.Beat beat = context.getBean(TaskQueueProperties.class).getBeat();
				assertThat(beat.getTimezone()).hasToString("Asia/Shanghai");
				assertThat(beat.getLease()).isEqualTo(Duration.ofSeconds(12));
			});
	}

	@Test
	void argumentsAndOptionsOfAnEntryKeepTheirYamlTypes() {
		Map<String, Object> yaml = new java.util.HashMap<>(Map.of(ENTRY + "add.task", "tasks.add", ENTRY + "add.every", "10s",
				ENTRY + "add.args[0]", 1, ENTRY + "add.args[1]", 2, ENTRY + "add.kwargs.verbose", true,
				ENTRY + "add.queue", "math", ENTRY + "add.options.expires", 5, ENTRY + "add.options.priority", 7,
				ENTRY + "add.options.headers.origin", "beat"));
		yaml.put(ENTRY + "add.options.countdown", "2s");
		TaskQueueProperties properties = new Binder(new MapConfigurationPropertySource(yaml))
			.bind("taskqueue", TaskQueueProperties.class)
			.get();
		ScheduleEntry entry = TaskQueueBeatEntries.toScheduleEntry("add",
				properties.getBeat().getSchedule().get("add"));
		assertThat(entry.args()).containsExactly(1, 2);
		assertThat(entry.kwargs()).containsExactly(Map.entry("verbose", true));
		assertThat(entry.queue()).isEqualTo("math");
		assertThat(entry.expires()).isEqualTo(Duration.ofSeconds(5));
		assertThat(entry.countdown()).isEqualTo(Duration.ofSeconds(2));
		assertThat(entry.priority()).isEqualTo(7);
		assertThat(entry.headers()).containsExactly(Map.entry("origin", "beat"));
		assertThat(entry.schedule()).hasToString("every PT10S");
	}

	@Test
	void propertyEntryReplacesABeanOfTheSameName() {
		this.contextRunner
			.withPropertyValues(ENABLED, ENTRY + "add.task=tasks.add", ENTRY + "add.every=10s")
			.withBean("addEntry", ScheduleEntry.class,
					() -> ScheduleEntry.builder("add", "tasks.other").every(Duration.ofHours(1)).build())
			.withBean("otherEntry", ScheduleEntry.class,
					() -> ScheduleEntry.builder("other", "tasks.other").every(Duration.ofHours(1)).build())
			.run((context) -> assertThat(context.getBean(BeatScheduler.class).entries())
				.extracting(EntryStatus::name, EntryStatus::task, EntryStatus::schedule)
				.containsExactlyInAnyOrder(tuple("add", "tasks.add", "every PT10S"),
						tuple("other", "tasks.other", "every PT1H")));
	}

	@Test
	void periodicTaskIsAnEntryNamedAfterTheTask() {
		this.contextRunner.withPropertyValues(ENABLED)
			.withBean(PeriodicTasks.class)
			.run((context) -> assertThat(context.getBean(BeatScheduler.class).entries())
				.extracting(EntryStatus::name, EntryStatus::task, EntryStatus::schedule)
				.containsExactly(tuple("sample.tick", "sample.tick", "every PT5S")));
	}

	@Test
	void periodicTaskIsReplacedByAPropertyEntryOfItsName() {
		this.contextRunner
			.withPropertyValues(ENABLED, "taskqueue.beat.schedule[sample.tick].task=sample.tick",
					"taskqueue.beat.schedule[sample.tick].every=1m")
			.withBean(PeriodicTasks.class)
			.run((context) -> assertThat(context.getBean(BeatScheduler.class).entries())
				.extracting(EntryStatus::schedule)
				.containsExactly("every PT1M"));
	}

	@Test
	void periodicTaskWithArgumentsFailsStartUp() {
		this.contextRunner.withPropertyValues(ENABLED).withBean(PeriodicTaskWithArguments.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("@Periodic on " + PeriodicTaskWithArguments.class.getName() + ".add")
				.hasMessageContaining("takes no arguments");
		});
	}

	@Test
	void entryWithoutTaskFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.schedule.nightly.task", "needs the name of the task",
				ENTRY + "nightly.every=1h");
	}

	@Test
	void entryWithoutScheduleFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.schedule.nightly.every", "none is set", ENTRY + "nightly.task=tasks.add");
	}

	@Test
	void entryWithEveryAndCronFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.schedule.nightly.cron", "several are set", ENTRY + "nightly.task=tasks.add",
				ENTRY + "nightly.every=1h", ENTRY + "nightly.cron=0 3 * * *");
	}

	@Test
	void entryWithEveryAndCrontabFieldsFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.schedule.nightly.every", "several are set", ENTRY + "nightly.task=tasks.add",
				ENTRY + "nightly.every=1h", ENTRY + "nightly.hour=3");
	}

	@Test
	void entryWithZeroIntervalFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.schedule.nightly.every", "must be positive", ENTRY + "nightly.task=tasks.add",
				ENTRY + "nightly.every=0s");
	}

	@Test
	void entryWithPriorityOutOfRangeFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.schedule.nightly.options.priority", "between 0 and 255",
				ENTRY + "nightly.task=tasks.add", ENTRY + "nightly.every=1h", ENTRY + "nightly.options.priority=300");
	}

	@Test
	void leaseShorterThanThreeSecondsFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.lease", "at least 3 seconds", "taskqueue.beat.lease=2s");
	}

	@Test
	void cronEntriesAreBoundFromTheProperties() {
		this.contextRunner
			.withPropertyValues(ENABLED, ENTRY + "twice-a-day.task=tasks.add", ENTRY + "twice-a-day.cron=0 10,17 * * *",
					ENTRY + "fields.task=tasks.add", ENTRY + "fields.minute=0", ENTRY + "fields.hour=10,17",
					ENTRY + "fields.day-of-week=mon-fri")
			.run((context) -> assertThat(context.getBean(BeatScheduler.class).entries()).extracting(EntryStatus::name)
				.containsExactly("twice-a-day", "fields"));
	}

	@Test
	void invalidCronFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.schedule.nightly.cron", "", ENTRY + "nightly.task=tasks.add",
				ENTRY + "nightly.cron=61 * * * *");
	}

	@Test
	void invalidCrontabFieldFailsStartUpNamingIt() {
		assertInvalid("taskqueue.beat.schedule.nightly.hour", "", ENTRY + "nightly.task=tasks.add",
				ENTRY + "nightly.minute=0", ENTRY + "nightly.hour=25");
	}

	private void assertInvalid(String property, String reason, String... properties) {
		this.contextRunner.withPropertyValues(ENABLED).withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + property + " with value")
				.hasMessageContaining(reason);
		});
	}

	static class PeriodicTasks {

		@CeleryTask(name = "sample.tick")
		@Periodic(every = "5s")
		void tick() {
		}

	}

	static class PeriodicTaskWithArguments {

		@CeleryTask(name = "sample.add")
		@Periodic(every = "5s")
		int add(int x, int y) {
			return x + y;
		}

	}

}
