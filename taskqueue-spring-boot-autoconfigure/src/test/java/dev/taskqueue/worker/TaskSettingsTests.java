package dev.taskqueue.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.taskqueue.core.CeleryTask;
import dev.taskqueue.core.RateLimitScope;
import dev.taskqueue.protocol.CeleryDurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How a task's settings are made from its annotation, the overrides and the defaults, and how
 * the values Celery users write are read.
 */
class TaskSettingsTests {

	@Test
	void undeclaredTaskGetsOurDefaults() {
		TaskSettings settings = register(new Plain(), TaskAnnotations.NONE).settings();
		assertThat(settings).isEqualTo(TaskSettings.DEFAULTS);
		assertThat(settings.acksLate()).isTrue();
		assertThat(settings.retry().maxRetries()).isEqualTo(3);
		assertThat(settings.retry().defaultRetryDelay()).isEqualTo(Duration.ofSeconds(180));
		assertThat(settings.retry().backoffMax()).isEqualTo(Duration.ofSeconds(600));
		assertThat(settings.retry().jitter()).isTrue();
	}

	@Test
	void annotationAttributesAreRead() {
		TaskSettings settings = register(new Declared(), TaskAnnotations.NONE).settings();
		assertThat(settings.acksLate()).isFalse();
		assertThat(settings.rejectOnWorkerLost()).isFalse();
		assertThat(settings.timeLimit()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.softTimeLimit()).isEqualTo(Duration.ofMillis(2500));
		assertThat(settings.rateLimit()).hasToString("10/m");
		assertThat(settings.rateLimitScope()).isEqualTo(RateLimitScope.CLUSTER);
		assertThat(settings.retry().maxRetries()).isEqualTo(-1);
		assertThat(settings.retry().defaultRetryDelay()).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings.retry().autoretryFor()).containsExactly(IllegalStateException.class);
		assertThat(settings.retry().backoffFactor()).isEqualTo(2);
		assertThat(settings.retry().jitter()).isFalse();
	}

	@Test
	void overridesWinOverTheAnnotationExactNameLastAndDefaultsOnlyFillGaps() {
		Map<String, DeclaredTaskOptions> overrides = new LinkedHashMap<>();
		overrides.put("t.declared", options(null, Duration.ofSeconds(5), RateLimit.parse("1/s")));
		overrides.put("t.*", options(7, Duration.ofSeconds(9), null));
		DeclaredTaskOptions defaults = options(null, Duration.ofSeconds(60), null).overriddenBy(
				new DeclaredTaskOptions(null, null, true, null, null, null, null, null, null, null, null, null, null, null,
						null, null));
		TaskAnnotations annotations = new TaskAnnotations(defaults, overrides);
		TaskSettings declared = register(new Declared(), annotations).settings();
		assertThat(declared.timeLimit()).as("exact name wins over the glob").isEqualTo(Duration.ofSeconds(5));
		assertThat(declared.retry().maxRetries()).as("glob wins over the annotation").isEqualTo(7);
		assertThat(declared.rateLimit()).hasToString("1/s");
		assertThat(declared.trackStarted()).as("a default").isTrue();
		TaskSettings plain = register(new Plain(), annotations).settings();
		assertThat(plain.timeLimit()).isEqualTo(Duration.ofSeconds(9));
		TaskSettings other = new TaskRegistry(annotations).register("x.other", new Plain(), method(Plain.class),
				DeclaredTaskOptions.NONE).settings();
		assertThat(other.timeLimit()).as("the default").isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void zeroLiftsALimitSetElsewhere() {
		TaskAnnotations annotations = new TaskAnnotations(DeclaredTaskOptions.NONE,
				Map.of("t.declared", options(null, Duration.ZERO, RateLimit.parse("0"))));
		TaskSettings settings = register(new Declared(), annotations).settings();
		assertThat(settings.timeLimit()).isNull();
		assertThat(settings.rateLimit()).isNull();
	}

	@Test
	void invalidAttributesFailRegistrationNamingTheTaskAndAttribute() {
		assertThatIllegalStateException().isThrownBy(() -> register(new BadRate(), TaskAnnotations.NONE))
			.withMessageContaining("rateLimit")
			.withMessageContaining("BadRate.run")
			.withMessageContaining("10 per second");
		assertThatIllegalStateException().isThrownBy(() -> register(new BadAcks(), TaskAnnotations.NONE))
			.withMessageContaining("acksLate")
			.withMessageContaining("'yes'");
	}

	@Test
	void durationsAreSecondsOrWithUnitOrIso() {
		assertThat(CeleryDurations.parse("30")).isEqualTo(Duration.ofSeconds(30));
		assertThat(CeleryDurations.parse("0.5")).isEqualTo(Duration.ofMillis(500));
		assertThat(CeleryDurations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
		assertThat(CeleryDurations.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
		assertThat(CeleryDurations.parse("2h")).isEqualTo(Duration.ofHours(2));
		assertThat(CeleryDurations.parse("PT3M")).isEqualTo(Duration.ofMinutes(3));
		assertThat(CeleryDurations.parse(" ")).isNull();
		assertThatIllegalArgumentException().isThrownBy(() -> CeleryDurations.parse("soon"))
			.withMessageContaining("'soon' is not a duration");
	}

	@Test
	void rateLimitsAreCeleryForms() {
		assertThat(RateLimit.parse("10/s").interval()).isEqualTo(Duration.ofMillis(100));
		assertThat(RateLimit.parse("100/m").interval()).isEqualTo(Duration.ofMillis(600));
		assertThat(RateLimit.parse("1000/h").interval()).isEqualTo(Duration.ofMillis(3600));
		assertThat(RateLimit.parse("4").interval()).isEqualTo(Duration.ofMillis(250));
		assertThat(RateLimit.parse("")).isNull();
		assertThat(RateLimit.parse("0")).isSameAs(RateLimit.UNLIMITED);
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("10/d"));
	}

	@Test
	void backoffDoublesUpToTheMaximumAndJitterStaysWithinIt() {
		RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(180), List.of(), List.of(), 3,
				Duration.ofSeconds(20), false);
		assertThat(policy.backoff(0, new Random())).isEqualTo(Duration.ofSeconds(3));
		assertThat(policy.backoff(2, new Random())).isEqualTo(Duration.ofSeconds(12));
		assertThat(policy.backoff(3, new Random())).isEqualTo(Duration.ofSeconds(20));
		assertThat(policy.backoff(80, new Random())).isEqualTo(Duration.ofSeconds(20));
		RetryPolicy jittered = new RetryPolicy(5, Duration.ofSeconds(180), List.of(), List.of(), 3,
				Duration.ofSeconds(20), true);
		Random random = new Random(42);
		for (int i = 0; i < 100; i++) {
			assertThat(jittered.backoff(2, random)).isBetween(Duration.ZERO, Duration.ofSeconds(12));
		}
		assertThat(RetryPolicy.DEFAULTS.backoff(0, random)).as("no backoff by default").isNull();
	}

	@Test
	void maxRetriesCountsRetriesNotRuns() {
		assertThat(RetryPolicy.DEFAULTS.exceeded(3, null)).isFalse();
		assertThat(RetryPolicy.DEFAULTS.exceeded(4, null)).isTrue();
		assertThat(RetryPolicy.DEFAULTS.exceeded(4, -1)).isFalse();
		assertThat(RetryPolicy.DEFAULTS.exceeded(1, 0)).isTrue();
	}

	private static DeclaredTaskOptions options(Integer maxRetries, Duration timeLimit, RateLimit rateLimit) {
		return new DeclaredTaskOptions(null, null, null, null, null, maxRetries, null, null, null, null, null, null, timeLimit,
				null, rateLimit, null);
	}

	private static TaskEndpoint register(Object bean, TaskAnnotations annotations) {
		TaskRegistry registry = new TaskRegistry(annotations);
		new CeleryTaskAnnotationBeanPostProcessor(registry).postProcessAfterInitialization(bean, "bean");
		return registry.endpoints().iterator().next();
	}

	private static java.lang.reflect.Method method(Class<?> type) {
		return type.getDeclaredMethods()[0];
	}

	static class Plain {

		@CeleryTask(name = "t.plain")
		void run() {
		}

	}

	static class Declared {

		@CeleryTask(name = "t.declared", acksLate = "false", rejectOnWorkerLost = "false", timeLimit = "30",
				softTimeLimit = "2500ms", rateLimit = "10/m", rateLimitScope = RateLimitScope.CLUSTER, maxRetries = -1,
				defaultRetryDelay = "PT2M", autoretryFor = IllegalStateException.class, retryBackoff = 2,
				retryJitter = false)
		void run() {
		}

	}

	static class BadRate {

		@CeleryTask(name = "t.bad_rate", rateLimit = "10 per second")
		void run() {
		}

	}

	static class BadAcks {

		@CeleryTask(name = "t.bad_acks", acksLate = "yes")
		void run() {
		}

	}

}
