package dev.taskqueue.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry message against the one a Celery 5.2.6 worker re-sent for {@code autoretry_for}
 * (fixture {@code redis-results/plain/04_retry_autoretry}).
 */
class TaskMessageRetryTests {

	private final JsonMessageCodec codec = new JsonMessageCodec();

	@Test
	void retryMessageMatchesCeleryWorkersResend() {
		List<Map<String, Object>> sent = CeleryFixtures
			.maps(CeleryFixtures.load("redis-results/plain/04_retry_autoretry.json").get("task_messages_lpushed"));
		TaskMessage original = this.codec.decode(CeleryFixtures.fromRedisEnvelope((String) sent.get(0).get("raw")));
		TaskMessage celeryRetry = this.codec
			.decode(CeleryFixtures.fromRedisEnvelope((String) sent.get(1).get("raw")));
		TaskHeaders expected = celeryRetry.headers();

		TaskMessage retry = original.retry(expected.eta(), expected.origin(), Instant.now());

		assertThat(retry.headers()).isEqualTo(expected);
		assertThat(retry.properties()).isEqualTo(celeryRetry.properties());
		assertThat(retry.args()).isEqualTo(celeryRetry.args());
		assertThat(retry.kwargs()).isEqualTo(celeryRetry.kwargs());
		assertThat(retry.embed()).isEqualTo(celeryRetry.embed());
	}

	@Test
	void expirationIsCountedFromTheRetry() {
		Instant now = Instant.parse("2026-12-05T12:00:00Z");
		TaskMessage original = TaskMessageBuilder.task("t.x").expires(now.plusSeconds(60)).build();
		TaskMessage retry = original.retry(now.plusSeconds(5), "gen1@host", now.plus(Duration.ofSeconds(20)));
		assertThat(retry.properties().expiration()).isEqualTo("40000");
		assertThat(retry.headers().expires()).isEqualTo(original.headers().expires());
	}

}
