package dev.taskqueue.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnUrlScheme}.
 */
class OnUrlSchemeCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnUrlScheme.class.getName());
		String property = (String) attributes.get("property");
		String[] schemes = (String[]) attributes.get("schemes");
		String url = context.getEnvironment().getProperty(property);
		if (url == null || url.isBlank()) {
			boolean matchIfMissing = (boolean) attributes.get("matchIfMissing");
			String message = property + " is not set";
			return matchIfMissing ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
		}
		String scheme = scheme(url);
		boolean match = Arrays.asList(schemes).contains(scheme);
		String message = property + " scheme '" + scheme + "'" + (match ? " matches " : " does not match ")
				+ Arrays.toString(schemes);
		return match ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
	}

	private static String scheme(String url) {
		int separator = url.indexOf("://");
		return (separator > 0) ? url.substring(0, separator).toLowerCase(Locale.ROOT) : "";
	}

}
