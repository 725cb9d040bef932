package dev.taskqueue.sample;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.taskqueue.core.AsyncResult;
import dev.taskqueue.core.GroupResult;
import dev.taskqueue.core.Signature;
import dev.taskqueue.core.TaskOperations;

/**
 * Sends a canvas given in Celery's JSON signature form, such as Python's
 * {@code json.dumps(chain(add.s(2, 2), add.s(4)))}: {@code POST /api/canvas} answers 202 with
 * {@code {id, group_id, members}}.
 * <ul>
 * <li>A task, a chain or a chord: {@code id} is the result id of the task, of the chain's last
 * step or of the chord's body; read it with {@code GET /api/tasks/{id}}.</li>
 * <li>A group: {@code id} and {@code group_id} are the group id and {@code members} the member
 * result ids, in order. The group's own options apply to each member, as in Celery.</li>
 * </ul>
 * Invalid signatures answer 400 with {@code {error}}, see {@link TaskControllerAdvice}.
 */
@RestController
@RequestMapping("/api/canvas")
public class CanvasController {

	private final TaskOperations tasks;

	public CanvasController(TaskOperations tasks) {
		this.tasks = tasks;
	}

	/**
	 * Send a canvas.
	 * @param body the signature, in Celery's JSON form
	 * @return the ids to follow the canvas by
	 */
	@PostMapping
	public ResponseEntity<SentCanvas> send(@RequestBody Map<String, @Nullable Object> body) {
		Signature signature = Signature.fromMap(body);
		SentCanvas sent;
		if ("group".equals(signature.subtaskType())) {
			// a group nested in a group is flattened into it, with its options
			GroupResult group = this.tasks.group(List.of(signature));
			List<String> ids = group.results().stream().map(AsyncResult::id).toList();
			sent = new SentCanvas(group.id(), group.id(), ids);
		}
		else {
			AsyncResult<Object> result = this.tasks.send(signature);
			sent = new SentCanvas(result.id(), null, null);
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(sent);
	}

	/**
	 * A canvas just sent.
	 *
	 * @param id the result id of the task, the chain's last step or the chord's body; the group
	 * id for a group
	 * @param groupId the group id of a group, else absent
	 * @param members the result ids of a group's members, in order, else absent
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record SentCanvas(String id, @JsonProperty("group_id") @Nullable String groupId,
			@Nullable List<String> members) {
	}

}
