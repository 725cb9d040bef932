package dev.taskqueue.actuate;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.util.unit.DataSize;

import dev.taskqueue.actuate.TaskQueueDescriptor.ActiveTaskDescriptor;
import dev.taskqueue.backend.memory.InMemoryResultBackend;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskTemplate;
import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.protocol.JsonMessageCodec;
import dev.taskqueue.protocol.JsonResultMetaCodec;
import dev.taskqueue.routing.DefaultTaskRouter;
import dev.taskqueue.worker.CeleryTaskAnnotationBeanPostProcessor;
import dev.taskqueue.worker.TaskRegistry;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.WorkerSettings;
import dev.taskqueue.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for how {@link TaskQueueEndpoint} and {@link TaskQueueEndpointWebExtension} show the
 * arguments of a running task: as Celery's truncated reprs, and only when
 * {@link Show showValues} allows it, as Spring Boot's {@code env} endpoint does.
 */
class TaskQueueEndpointShowValuesTests {

	private static final String HIDDEN = "******";

	private final InMemoryBroker broker = new InMemoryBroker(new JsonMessageCodec());

	private final InMemoryResultBackend backend = new InMemoryResultBackend(new JsonResultMetaCodec(),
			Duration.ofMinutes(5));

	private final TaskTemplate template = new TaskTemplate(this.broker, this.backend,
			DefaultTaskRouter.withDefaultQueue("celery"), new JsonMessageCodec(), CeleryJson.newMapper(),
			DataSize.ofMegabytes(4));

	private final TaskRegistry registry = new TaskRegistry();

	private final WorkerState state = new WorkerState();

	private final Tasks tasks = new Tasks();

	private final WorkerContainer worker;

	TaskQueueEndpointShowValuesTests() {
		new CeleryTaskAnnotationBeanPostProcessor(this.registry).postProcessAfterInitialization(this.tasks, "tasks");
		this.worker = new WorkerContainer(this.broker, this.backend, this.registry, this.state,
				new WorkerSettings("celery@show-values-test", List.of("celery"), 1, 1, Duration.ofSeconds(5), false),
				CeleryJson.newMapper(), null);
	}

	@AfterEach
	void stopWorker() {
		this.tasks.release.countDown();
		this.worker.stop();
	}

	@Test
	void neverHidesArgumentsEvenFromAuthorizedUsers() throws InterruptedException {
		runBlockedTask("secret", "s1");
		TaskQueueEndpoint endpoint = endpoint(Show.NEVER);
		assertHidden(activeTask(endpoint.taskQueue()));
		assertHidden(activeTask(webExtension(endpoint, Show.NEVER, Set.of("OPS")).taskQueue(user("OPS"))));
	}

	@Test
	void alwaysShowsArgumentsAsCeleryReprs() throws InterruptedException {
		runBlockedTask("it's", "t1");
		TaskQueueEndpoint endpoint = endpoint(Show.ALWAYS);
		assertShown(activeTask(endpoint.taskQueue()), "('it\\'s',)", "{'tag': 't1'}");
		assertShown(activeTask(webExtension(endpoint, Show.ALWAYS, Set.of()).taskQueue(SecurityContext.NONE)),
				"('it\\'s',)", "{'tag': 't1'}");
	}

	@Test
	void whenAuthorizedShowsArgumentsOverJmx() throws InterruptedException {
		runBlockedTask("first", "t1");
		assertShown(activeTask(endpoint(Show.WHEN_AUTHORIZED).taskQueue()), "('first',)", "{'tag': 't1'}");
	}

	@Test
	void whenAuthorizedShowsArgumentsToAuthenticatedWebUsers() throws InterruptedException {
		runBlockedTask("first", "t1");
		TaskQueueEndpointWebExtension web = webExtension(endpoint(Show.WHEN_AUTHORIZED), Show.WHEN_AUTHORIZED,
				Set.of());
		assertHidden(activeTask(web.taskQueue(SecurityContext.NONE)));
		assertShown(activeTask(web.taskQueue(user())), "('first',)", "{'tag': 't1'}");
	}

	@Test
	void whenAuthorizedWithRolesShowsArgumentsToUsersInARole() throws InterruptedException {
		runBlockedTask("first", "t1");
		TaskQueueEndpointWebExtension web = webExtension(endpoint(Show.WHEN_AUTHORIZED), Show.WHEN_AUTHORIZED,
				Set.of("OPS", "ADMIN"));
		assertHidden(activeTask(web.taskQueue(SecurityContext.NONE)));
		assertHidden(activeTask(web.taskQueue(user("DEV"))));
		assertShown(activeTask(web.taskQueue(user("DEV", "ADMIN"))), "('first',)", "{'tag': 't1'}");
	}

	@Test
	void theResultOfATaskIsShownToTheWebUsersThatMaySeeValues() {
		this.worker.start();
		String id = this.template.send("test.echo", "classified").id();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.get(id).isReady());
		TaskQueueEndpointWebExtension web = webExtension(endpoint(Show.WHEN_AUTHORIZED), Show.WHEN_AUTHORIZED,
				Set.of("OPS"));
		assertThat(web.item(SecurityContext.NONE, "tasks", id).result()).isEqualTo(HIDDEN);
		assertThat(web.item(user("DEV"), "tasks", id).result()).isEqualTo(HIDDEN);
		assertThat(web.item(user("OPS"), "tasks", id).result()).isEqualTo("classified");
		assertThat(web.item(user("OPS"), "tasks", id).state()).isEqualTo("SUCCESS");
		assertThat(endpoint(Show.NEVER).item("tasks", id).result()).isEqualTo(HIDDEN);
		assertThat(web.section(user("OPS"), "cluster").nodes()).isEmpty();
	}

	@Test
	void hugeArgumentsAreCutAsCeleryCutsArgsrepr() throws InterruptedException {
		String megabyte = "x".repeat(1024 * 1024);
		runBlockedTask(megabyte, megabyte.replace('x', 'y'));
		ActiveTaskDescriptor task = activeTask(endpoint(Show.ALWAYS).taskQueue());
		// as computed by Celery 5.2.6's saferepr(..., 1024)
		assertShown(task, "('" + "x".repeat(1023) + "...', ...", "{'tag': '" + "y".repeat(1016) + "...', ...");
		assertThat(task.args()).hasSize(1034);
		assertThat(task.kwargs()).hasSize(1034);
	}

	private void runBlockedTask(String value, String tag) throws InterruptedException {
		this.worker.start();
		this.template.task("test.block").args(value).kwarg("tag", tag).send();
		assertThat(this.tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
	}

	private TaskQueueEndpoint endpoint(Show showValues) {
		return new TaskQueueEndpoint(this.broker, this.backend, this.worker, this.state, this.registry, showValues);
	}

	private static TaskQueueEndpointWebExtension webExtension(TaskQueueEndpoint endpoint, Show showValues,
			Set<String> roles) {
		return new TaskQueueEndpointWebExtension(endpoint, showValues, roles);
	}

	private static ActiveTaskDescriptor activeTask(TaskQueueDescriptor descriptor) {
		assertThat(descriptor.active()).hasSize(1);
		return descriptor.active().get(0);
	}

	private static void assertHidden(ActiveTaskDescriptor task) {
		assertThat(task.args()).isEqualTo(HIDDEN);
		assertThat(task.kwargs()).isEqualTo(HIDDEN);
		assertThat(task.name()).isEqualTo("test.block");
	}

	private static void assertShown(ActiveTaskDescriptor task, String args, String kwargs) {
		assertThat(task.args()).isEqualTo(args);
		assertThat(task.kwargs()).isEqualTo(kwargs);
	}

	/** An authenticated user of the given roles. */
	private static SecurityContext user(String... roles) {
		Principal principal = () -> "alice";
		Set<String> granted = Set.of(roles);
		return new SecurityContext() {

			@Override
			public @Nullable Principal getPrincipal() {
				return principal;
			}

			@Override
			public boolean isUserInRole(String role) {
				return granted.contains(role);
			}

		};
	}

	/**
	 * Tasks run by the worker under test.
	 */
	static class Tasks {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@CeleryTask(name = "test.echo")
		String echo(String value) {
			return value;
		}

		@CeleryTask(name = "test.block")
		String block(String value, String tag) throws InterruptedException {
			this.started.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return tag;
		}

	}

}
