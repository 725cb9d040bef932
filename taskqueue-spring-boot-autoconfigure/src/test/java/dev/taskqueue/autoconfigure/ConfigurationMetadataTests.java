package dev.taskqueue.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.InboundLimits;
import dev.taskqueue.worker.WorkerSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata the annotation processor generates from
 * {@link TaskQueueProperties}: what users see in their IDE must describe every property and
 * tell its real default.
 */
class ConfigurationMetadataTests {

	private static final String GENERATED = "META-INF/spring-configuration-metadata.json";

	private static final String ADDITIONAL = "META-INF/additional-spring-configuration-metadata.json";

	@Test
	void everyPropertyHasADescription() throws IOException {
		List<String> undescribed = taskQueueProperties().stream()
			.filter((property) -> !property.hasNonNull("description") || property.get("description").asString().isBlank())
			.map((property) -> property.get("name").asString())
			.toList();
		assertThat(undescribed).isEmpty();
	}

	@Test
	void everyPropertyWithADefaultDeclaresIt() throws IOException {
		TaskQueueProperties fresh = new TaskQueueProperties();
		List<String> missing = new ArrayList<>();
		for (JsonNode property : taskQueueProperties()) {
			Object value = valueOf(fresh, property.get("name").asString());
			if (!property.has("defaultValue") && hasDefault(value)) {
				missing.add(property.get("name").asString() + " (is " + value + ")");
			}
		}
		assertThat(missing).isEmpty();
	}

	@Test
	void everyDeclaredDefaultIsTheBoundDefault() throws IOException {
		TaskQueueProperties fresh = new TaskQueueProperties();
		BeanWrapperImpl wrapper = new BeanWrapperImpl(fresh);
		Map<String, String> wrong = taskQueueProperties().stream()
			.filter((property) -> property.has("defaultValue"))
			.filter((property) -> {
				String path = beanPath(property.get("name").asString());
				Object declared = ApplicationConversionService.getSharedInstance()
					.convert(defaultText(property.get("defaultValue")), TypeDescriptor.valueOf(String.class),
							wrapper.getPropertyTypeDescriptor(path));
				return !declared.equals(wrapper.getPropertyValue(path));
			})
			.collect(Collectors.toMap((property) -> property.get("name").asString(),
					(property) -> defaultText(property.get("defaultValue"))));
		assertThat(wrong).isEmpty();
	}

	@Test
	void defaultsAreTheOnesTheLibraryUsesWithoutSpringBoot() {
		TaskQueueProperties.Worker worker = new TaskQueueProperties().getWorker();
		assertThat(worker.getMaxHeldEta()).isEqualTo(WorkerSettings.DEFAULT_MAX_HELD_ETA);
		assertThat(worker.getStallTimeout()).isEqualTo(WorkerSettings.DEFAULT_STALL_TIMEOUT);
		assertThat(worker.getLimits().toInboundLimits()).isEqualTo(InboundLimits.DEFAULTS);
		assertThat(new TaskQueueProperties().getTask().getMaxDeliveries())
			.isEqualTo(WorkerSettings.DEFAULT_MAX_DELIVERIES);
	}

	@Test
	void urlsAndMapKeysHaveHints() throws IOException {
		List<String> hinted = new ArrayList<>();
		read(ADDITIONAL).get("hints").forEach((hint) -> hinted.add(hint.get("name").asString()));
		assertThat(hinted).contains("taskqueue.broker.url", "taskqueue.backend.url", "taskqueue.queues.keys",
				"taskqueue.routes.keys");
		List<String> names = taskQueueProperties().stream().map((property) -> property.get("name").asString()).toList();
		assertThat(hinted).allSatisfy((hint) -> assertThat(names).contains(hint.replaceFirst("\\.(keys|values)$", "")));
	}

	private static List<JsonNode> taskQueueProperties() throws IOException {
		List<JsonNode> properties = new ArrayList<>();
		read(GENERATED).get("properties").forEach((property) -> {
			if (property.get("name").asString().startsWith("taskqueue.")) {
				properties.add(property);
			}
		});
		assertThat(properties).hasSizeGreaterThan(30);
		return properties;
	}

	private static JsonNode read(String location) throws IOException {
		try (InputStream input = new ClassPathResource(location).getInputStream()) {
			return JsonMapper.builder().build().readTree(input);
		}
	}

	/** A default as text to bind; the defaults of collections are arrays in the metadata. */
	private static String defaultText(JsonNode value) {
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asString()));
			return String.join(",", items);
		}
		return value.asString();
	}

	private static Object valueOf(TaskQueueProperties properties, String name) {
		return new BeanWrapperImpl(properties).getPropertyValue(beanPath(name));
	}

	private static String beanPath(String name) {
		return Arrays.stream(name.substring("taskqueue.".length()).split("\\."))
			.map(ConfigurationMetadataTests::camelCase)
			.collect(Collectors.joining("."));
	}

	private static String camelCase(String kebab) {
		String[] words = kebab.split("-");
		StringBuilder camel = new StringBuilder(words[0]);
		for (int i = 1; i < words.length; i++) {
			camel.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
		}
		return camel.toString();
	}

	private static boolean hasDefault(Object value) {
		if (value == null || Boolean.FALSE.equals(value)) {
			return false;
		}
		if (value instanceof Collection<?> collection) {
			return !collection.isEmpty();
		}
		if (value instanceof Map<?, ?> map) {
			return !map.isEmpty();
		}
		return !(value instanceof String string) || !string.isEmpty();
	}

}
