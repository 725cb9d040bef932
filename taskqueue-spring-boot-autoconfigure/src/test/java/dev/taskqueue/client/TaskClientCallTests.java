package dev.taskqueue.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueClientAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueEagerAutoConfiguration;
import dev.taskqueue.autoconfigure.TaskQueueWorkerAutoConfiguration;
import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.TaskFailedException;
import dev.taskqueue.core.TaskOptions;
import dev.taskqueue.core.TaskResultConversionException;
import dev.taskqueue.core.TaskTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the return styles of task client methods, their tasks run by the application's
 * worker on the in-memory broker, and in eager mode.
 */
class TaskClientCallTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskQueueEagerAutoConfiguration.class,
				TaskQueueAutoConfiguration.class, TaskQueueWorkerAutoConfiguration.class,
				TaskQueueClientAutoConfiguration.class))
		.withUserConfiguration(ClientConfiguration.class);

	@Test
	void theResultItselfIsWaitedForAndConverted() {
		this.contextRunner.run((context) -> {
			Points points = context.getBean(Points.class);
			assertThat(points.add(2, 3)).isEqualTo(5L);
			assertThat(points.shift(List.of(new Point(1, 2), new Point(3, 4)), 10))
				.containsExactly(new Point(11, 12), new Point(13, 14));
		});
	}

	@Test
	void anAsyncResultIsReturnedAtOnceAndConvertsToItsGenericType() {
		this.contextRunner.run((context) -> {
			AsyncResult<List<Point>> result = context.getBean(Points.class).shiftLater(List.of(new Point(0, 0)), 1);
			assertThat(result.get(TIMEOUT)).containsExactly(new Point(1, 1));
		});
	}

	@Test
	void aFutureCompletesWithTheResult() throws Exception {
		this.contextRunner.run((context) -> {
			CompletableFuture<List<Point>> future = context.getBean(Points.class)
				.shiftAsync(List.of(new Point(5, 5)), -5);
			assertThat(future.get(10, TimeUnit.SECONDS)).containsExactly(new Point(0, 0));
		});
	}

	@Test
	void aFailedTaskThrowsTaskFailedExceptionAndFailsTheFutureWithIt() {
		this.contextRunner.run((context) -> {
			Points points = context.getBean(Points.class);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> points.fail("bad point"))
				.satisfies((ex) -> assertThat(ex.getExceptionMessage()).isEqualTo("bad point"));
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> points.failAsync("worse point").get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(TaskFailedException.class,
						(ex) -> assertThat(ex.getExceptionMessage()).isEqualTo("worse point"));
		});
	}

	@Test
	void aTaskNotDoneInTimeThrowsTaskTimeoutExceptionAndFailsTheFutureWithIt() {
		this.contextRunner.run((context) -> {
			Points points = context.getBean(Points.class);
			assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> points.slow(2000))
				.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300)));
			CompletableFuture<Long> future = points.slowAsync(2000, TaskOptions.none().timeout(Duration.ofMillis(200))
				.taskId("slow-async"));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(TaskTimeoutException.class, (ex) -> {
					assertThat(ex.getTaskId()).isEqualTo("slow-async");
					assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(200));
				});
		});
	}

	@Test
	void aNullResultForAPrimitiveReturnTypeSaysSo() {
		this.contextRunner.run((context) -> assertThatExceptionOfType(TaskResultConversionException.class)
			.isThrownBy(() -> context.getBean(Points.class).nothing())
			.withMessageContaining("cannot be converted to long")
			.withMessageContaining("the task returned null (None), which nothing's return type cannot hold"));
	}

	@Test
	void theDefaultTimeoutComesFromTheProperty() {
		this.contextRunner.withPropertyValues("taskqueue.client.default-timeout=250ms")
			.run((context) -> assertThatExceptionOfType(TaskTimeoutException.class)
				.isThrownBy(() -> context.getBean(DefaultTimeoutPoints.class).slowDefault(2000))
				.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(250))));
	}

	@Test
	void clientsCallTasksInEagerMode() {
		this.contextRunner.withPropertyValues("taskqueue.task.always-eager=true").run((context) -> {
			Points points = context.getBean(Points.class);
			assertThat(points.add(20, 22)).isEqualTo(42L);
			assertThat(points.shiftLater(List.of(new Point(1, 1)), 1).get(TIMEOUT)).containsExactly(new Point(2, 2));
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> points.fail("eager"));
		});
	}

	record Point(int x, int y) {
	}

	@TaskClient(prefix = "points", timeout = "10s")
	interface Points {

		long add(long x, long y);

		List<Point> shift(List<Point> points, @Kwarg("by") int by);

		@TaskMethod("points.shift")
		AsyncResult<List<Point>> shiftLater(List<Point> points, @Kwarg("by") int by);

		@TaskMethod("points.shift")
		CompletableFuture<List<Point>> shiftAsync(List<Point> points, @Kwarg("by") int by);

		@TaskMethod(name = "points.fail")
		String fail(String message);

		@TaskMethod(name = "points.fail")
		CompletableFuture<String> failAsync(String message);

		@TaskMethod(name = "points.sleep", timeout = "300ms")
		long slow(long millis);

		@TaskMethod("points.sleep")
		CompletableFuture<Long> slowAsync(long millis, TaskOptions options);

		long nothing();

	}

	@TaskClient("points")
	interface DefaultTimeoutPoints {

		@TaskMethod("points.sleep")
		long slowDefault(long millis);

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTaskClients(clients = { Points.class, DefaultTimeoutPoints.class })
	static class ClientConfiguration {

		@Bean
		PointTasks pointTasks() {
			return new PointTasks();
		}

	}

	static class PointTasks {

		@CeleryTask(name = "points.add")
		long add(long x, long y) {
			return x + y;
		}

		@CeleryTask(name = "points.shift")
		List<Point> shift(List<Point> points, int by) {
			return points.stream().map((point) -> new Point(point.x() + by, point.y() + by)).toList();
		}

		@CeleryTask(name = "points.fail")
		String fail(String message) {
			throw new IllegalArgumentException(message);
		}

		@CeleryTask(name = "points.sleep")
		long sleep(long millis) throws InterruptedException {
			Thread.sleep(millis);
			return millis;
		}

		@CeleryTask(name = "points.nothing")
		@Nullable Object nothing() {
			return null;
		}

	}

}
