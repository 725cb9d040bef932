package dev.taskqueue.control;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link NodeSelector} and {@link Fnmatch}: kombu's destination, glob and pcre
 * rules.
 */
class NodeSelectorTests {

	@Test
	void destinationListNamesTheNodes() {
		assertThat(NodeSelector.addresses("w1@vm", List.of("w1@vm", "w2@vm"), "x*", "glob")).isTrue();
		assertThat(NodeSelector.addresses("w3@vm", List.of("w1@vm", "w2@vm"), null, null)).isFalse();
		assertThat(NodeSelector.addresses("w1@vm", List.of("w1@vm.example"), null, null)).isFalse();
	}

	@Test
	void everyNodeWithoutDestinationNorPattern() {
		assertThat(NodeSelector.addresses("w1@vm", null, null, null)).isTrue();
		assertThat(NodeSelector.addresses("w1@vm", List.of(), null, "pcre")).isTrue();
	}

	@Test
	void globMatchesTheWholeName() {
		assertThat(NodeSelector.addresses("celery@host", null, "celery@*", "glob")).isTrue();
		assertThat(NodeSelector.addresses("celery@host", null, "celery@*", null)).isTrue();
		assertThat(NodeSelector.addresses("celery@host", null, "celery", "glob")).isFalse();
		assertThat(NodeSelector.addresses("w1@vm", null, "w?@vm", "glob")).isTrue();
		assertThat(NodeSelector.addresses("w1@vm", null, "w[12]@vm", "glob")).isTrue();
		assertThat(NodeSelector.addresses("w3@vm", null, "w[!12]@vm", "glob")).isTrue();
		assertThat(NodeSelector.addresses("w1@vm", null, "w[!12]@vm", "glob")).isFalse();
		assertThat(NodeSelector.addresses("w.1@vm", null, "w.?@vm", "glob")).isTrue();
		assertThat(NodeSelector.addresses("wx1@vm", null, "w.?@vm", "glob")).isFalse();
		assertThat(NodeSelector.addresses("w[1@vm", null, "w[1@vm", "glob")).isTrue();
		assertThat(NodeSelector.addresses("wb@vm", null, "w[a-c]@vm", "glob")).isTrue();
		assertThat(NodeSelector.addresses("w-@vm", null, "w[a-c]@vm", "glob")).isFalse();
		assertThat(NodeSelector.addresses("w-@vm", null, "w[-x]@vm", "glob")).isTrue();
	}

	@Test
	void pcreMatchesAtTheStartOnly() {
		assertThat(NodeSelector.addresses("celery@host", null, "cel", "pcre")).isTrue();
		assertThat(NodeSelector.addresses("celery@host", null, "host", "pcre")).isFalse();
		assertThat(NodeSelector.addresses("w12@vm", null, "w\\d+@", "pcre")).isTrue();
		assertThat(NodeSelector.addresses("w12@vm", null, "(?P<n>w)\\d", "pcre")).isTrue();
	}

	@Test
	void badPatternsAreRefused() {
		assertThatExceptionOfType(PidboxMessageException.class)
			.isThrownBy(() -> NodeSelector.addresses("w1@vm", null, "w(", "pcre"))
			.withMessageContaining("invalid");
		assertThatExceptionOfType(PidboxMessageException.class)
			.isThrownBy(() -> NodeSelector.addresses("w1@vm", null, "w[z-a]", "glob"));
		assertThatExceptionOfType(PidboxMessageException.class)
			.isThrownBy(() -> NodeSelector.addresses("w1@vm", null, "x".repeat(257), "glob"))
			.withMessageContaining("more than 256");
		assertThatExceptionOfType(PidboxMessageException.class)
			.isThrownBy(() -> NodeSelector.addresses("w1@vm", null, "w*", "regex"))
			.withMessageContaining("unknown");
	}

	@Test
	@Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void catastrophicPatternsStopEarly() {
		String node = "a".repeat(28) + "!";
		assertThatExceptionOfType(PidboxMessageException.class)
			.isThrownBy(() -> NodeSelector.addresses(node, null, "(.*a){12}$", "pcre"))
			.withMessageContaining("too long");
	}

}
