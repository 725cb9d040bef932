package dev.taskqueue.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.protocol.CeleryJson;
import dev.taskqueue.testsupport.TestProcesses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signatures built in Java as Python Celery 5.2.6 reads them: {@code signature(json, app=app)}
 * gives a {@code _chain}, {@code group} or {@code _chord} with the tasks, arguments and options
 * Java put in, and Python writes the same JSON back.
 */
class SignatureCeleryInteropTests {

	private static final String PYTHON = "/usr/bin/python3";

	private static final JsonMapper MAPPER = CeleryJson.newMapper();

	/** Reads a list of signatures; prints, for each, what Python made of it and its JSON again. */
	private static final String READ = """
			import json, sys
			from celery import Celery, signature
			from celery.canvas import _chain, _chord, group
			app = Celery()
			def describe(s):
			    d = {'type': type(s).__name__, 'task': s.task, 'args': list(s.args), 'options': s.options,
			         'immutable': s.immutable}
			    if isinstance(s, (_chain, group)):
			        d['tasks'] = [describe(t) for t in s.tasks]
			    if isinstance(s, _chord):
			        d['header'] = [describe(t) for t in s.tasks]
			        d['body'] = describe(s.body)
			    return d
			out = []
			for value in json.loads(sys.argv[1]):
			    s = signature(value, app=app)
			    out.append({'described': describe(s), 'again': json.loads(json.dumps(s))})
			print(json.dumps(out))
			""";

	private final Signature add = Signature.of("tasks.add");

	@BeforeAll
	static void celeryIsInstalled() {
		Assumptions.assumeTrue(TestProcesses.succeeds(Duration.ofSeconds(60), PYTHON, "-c", "import celery"),
				"python3 with celery is not installed");
	}

	@Test
	@SuppressWarnings("unchecked")
	void pythonReadsChainGroupAndChordAsJavaBuiltThem() {
		Instant eta = Instant.parse("2026-11-21T10:00:00Z");
		Signature chain = Signature.chain(this.add.args(2, 3).kwarg("note", "ünï"), this.add.args(4),
				Signature.of("tasks.mul", 10).immutable())
			.link(Signature.of("tasks.cb"))
			.linkError(Signature.of("tasks.eb"))
			.countdown(Duration.ofMillis(1500));
		Signature group = Signature.group(this.add.args(1, 1), this.add.args(2, 2).queue("other"))
			.linkError(Signature.of("tasks.eb"))
			.priority(5);
		Signature chord = Signature.chord(List.of(this.add.args(1, 1), this.add.args(2, 2)),
				Signature.of("tasks.xsum").link(Signature.of("tasks.cb")))
			.eta(eta);
		Signature nested = Signature.chain(this.add.args(1, 1), Signature.group(this.add.args(1), this.add.args(2)),
				Signature.of("tasks.xsum"));
		List<Signature> signatures = List.of(chain, group, chord, nested);

		List<Map<String, Object>> read = python(signatures);

		for (int i = 0; i < signatures.size(); i++) {
			assertThat(MAPPER.writeValueAsString(read.get(i).get("again")))
				.as("Python's JSON of signature %d", i)
				.isEqualTo(MAPPER.writeValueAsString(signatures.get(i).toMap()));
		}
		Map<String, Object> pythonChain = (Map<String, Object>) read.get(0).get("described");
		assertThat(pythonChain).containsEntry("type", "_chain").containsEntry("options", Map.of("countdown", 1.5));
		List<Map<String, Object>> steps = (List<Map<String, Object>>) pythonChain.get("tasks");
		assertThat(steps).extracting((step) -> step.get("task")).containsExactly("tasks.add", "tasks.add", "tasks.mul");
		assertThat(steps).extracting((step) -> step.get("args")).containsExactly(List.of(2, 3), List.of(4), List.of(10));
		assertThat(steps).extracting((step) -> step.get("immutable")).containsExactly(false, false, true);
		assertThat(steps.get(2).get("options")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsKeys("link", "link_error");
		assertThat(steps.get(0).get("options")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsOnlyKeys("link_error");

		Map<String, Object> pythonGroup = (Map<String, Object>) read.get(1).get("described");
		assertThat(pythonGroup).containsEntry("type", "group").containsEntry("options", Map.of("priority", 5));
		List<Map<String, Object>> members = (List<Map<String, Object>>) pythonGroup.get("tasks");
		assertThat(members).extracting((member) -> member.get("args")).containsExactly(List.of(1, 1), List.of(2, 2));
		assertThat((Map<String, Object>) members.get(1).get("options")).containsEntry("queue", "other")
			.containsKey("link_error");

		Map<String, Object> pythonChord = (Map<String, Object>) read.get(2).get("described");
		assertThat(pythonChord).containsEntry("type", "_chord")
			.containsEntry("options", Map.of("eta", "2026-11-21T10:00:00.000000+00:00"));
		assertThat((List<Map<String, Object>>) pythonChord.get("header")).extracting((member) -> member.get("args"))
			.containsExactly(List.of(1, 1), List.of(2, 2));
		Map<String, Object> body = (Map<String, Object>) pythonChord.get("body");
		assertThat(body).containsEntry("type", "Signature").containsEntry("task", "tasks.xsum");
		assertThat((Map<String, Object>) body.get("options")).containsKey("link");

		Map<String, Object> pythonNested = (Map<String, Object>) read.get(3).get("described");
		assertThat((List<Map<String, Object>>) pythonNested.get("tasks")).extracting((step) -> step.get("type"))
			.containsExactly("Signature", "group", "Signature");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> python(List<Signature> signatures) {
		String json = MAPPER.writeValueAsString(signatures.stream().map(Signature::toMap).toList());
		TestProcesses.Result result = TestProcesses.run(Duration.ofSeconds(60), PYTHON, "-c", READ, json);
		assertThat(result.exit()).as("python3 exit status, stderr: %s", result.stderr()).isZero();
		return MAPPER.readValue(result.stdout(), List.class);
	}

}
