package dev.taskqueue.worker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link TokenBucket}: kombu's bucket of capacity one, on a clock the test moves.
 */
class TokenBucketTests {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void fullAtFirstThenOneTokenPerInterval() {
		TokenBucket bucket = new TokenBucket(0);

		assertThat(bucket.take(10, 0)).isZero();
		assertThat(bucket.take(10, 0)).isEqualTo(SECOND / 10);
		assertThat(bucket.take(10, SECOND / 20)).isEqualTo(SECOND / 20);
		assertThat(bucket.take(10, SECOND / 10)).isZero();
		assertThat(bucket.take(10, SECOND / 10)).isEqualTo(SECOND / 10);
	}

	@Test
	void holdsOneTokenAtMostSoAPauseAllowsNoBurst() {
		TokenBucket bucket = new TokenBucket(0);
		assertThat(bucket.take(10, 0)).isZero();

		assertThat(bucket.take(10, 60 * SECOND)).isZero();
		assertThat(bucket.take(10, 60 * SECOND)).isEqualTo(SECOND / 10);
	}

	@Test
	void changedRateAppliesFromTheNextTake() {
		TokenBucket bucket = new TokenBucket(0);
		assertThat(bucket.take(1, 0)).isZero();
		assertThat(bucket.take(1, SECOND / 2)).isEqualTo(SECOND / 2);

		assertThat(bucket.take(100, SECOND / 2 + SECOND / 100)).isZero();
		// 0.49 s at one per minute filled 0.49/60 of a token: the rest comes in 60 s - 0.49 s
		assertThat(bucket.take(1.0 / 60, SECOND)).isCloseTo(60 * SECOND - 49 * SECOND / 100, within(1000L));
	}

}
