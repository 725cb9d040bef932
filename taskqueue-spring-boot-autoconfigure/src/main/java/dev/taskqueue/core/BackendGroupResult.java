package dev.taskqueue.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.CanvasStore;
import dev.taskqueue.backend.ResultBackend;
import dev.taskqueue.backend.ResultBackendException;
import dev.taskqueue.canvas.AppliedCanvas;
import dev.taskqueue.protocol.CeleryStates;

/**
 * A {@link GroupResult} read from a {@link ResultBackend}: one {@link BackendAsyncResult} per
 * member. The state accessors read each member's state once per call; {@link #join} waits for
 * the members in order, as Celery's {@code GroupResult.join()} does, within one deadline.
 */
final class BackendGroupResult implements GroupResult {

	private final String id;

	private final List<AsyncResult<Object>> results;

	private final ResultBackend backend;

	private final TaskOperations operations;

	private BackendGroupResult(String id, List<AsyncResult<Object>> results, ResultBackend backend,
			TaskOperations operations) {
		this.id = id;
		this.results = List.copyOf(results);
		this.backend = backend;
		this.operations = operations;
	}

	/**
	 * The results of a group whose members are known.
	 * @param id the group id
	 * @param memberIds the members' task ids, in member order
	 * @param backend the backend the results are read from
	 * @param mapper converts results to the requested types
	 * @param operations revokes the members
	 * @return the group's results
	 */
	static BackendGroupResult of(String id, List<String> memberIds, ResultBackend backend, JsonMapper mapper,
			TaskOperations operations) {
		Assert.hasText(id, "'id' must not be empty");
		List<AsyncResult<Object>> results = new ArrayList<>(memberIds.size());
		for (String memberId : memberIds) {
			Assert.hasText(memberId, "Member ids must not be empty");
			results.add(new BackendAsyncResult<>(memberId, mapper.constructType(Object.class), backend, mapper,
					operations));
		}
		return new BackendGroupResult(id, results, backend, operations);
	}

	/**
	 * The results of a group saved earlier, by Java or Python; members of nested groups are
	 * its members, in order.
	 * @param id the group id
	 * @param backend the backend the group was saved in
	 * @param mapper converts results to the requested types
	 * @param operations revokes the members
	 * @return the group's results
	 * @throws ResultBackendException when no group of that id is saved, or not as Celery saves
	 * it, or the backend keeps no groups
	 */
	static BackendGroupResult restore(String id, ResultBackend backend, JsonMapper mapper,
			TaskOperations operations) {
		Assert.hasText(id, "'id' must not be empty");
		CanvasStore groups = backend.canvasStore();
		if (groups == null) {
			throw new ResultBackendException(keepsNoGroups("restore", id, backend));
		}
		List<Object> tuple = groups.restoreGroup(id);
		if (tuple == null) {
			throw new ResultBackendException("No group " + id + " is saved in " + backend.url());
		}
		return of(id, GroupTuples.memberIds(id, tuple), backend, mapper, operations);
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public List<AsyncResult<Object>> results() {
		return this.results;
	}

	@Override
	public boolean ready() {
		return allMembers(CeleryStates::isReady);
	}

	@Override
	public boolean successful() {
		return allMembers(CeleryStates.SUCCESS::equals);
	}

	@Override
	public boolean failed() {
		return !allMembers(Predicate.not(CeleryStates.FAILURE::equals));
	}

	@Override
	public int completedCount() {
		int count = 0;
		for (AsyncResult<Object> result : this.results) {
			if (CeleryStates.SUCCESS.equals(status(result))) {
				count++;
			}
		}
		return count;
	}

	@Override
	public List<@Nullable Object> join(Duration timeout) {
		return join(timeout, Object.class);
	}

	@Override
	public <R> List<@Nullable R> join(Duration timeout, Class<R> type) {
		Assert.notNull(timeout, "'timeout' must not be null");
		Assert.notNull(type, "'type' must not be null");
		long budget = nanos(timeout);
		long start = System.nanoTime();
		List<@Nullable R> values = new ArrayList<>(this.results.size());
		for (int i = 0; i < this.results.size(); i++) {
			// a member already done is read even once the time is up
			Duration remaining = Duration.ofNanos(Math.max(0, budget - (System.nanoTime() - start)));
			try {
				values.add(this.results.get(i).get(remaining, type));
			}
			catch (TaskFailedException ex) {
				throw new TaskFailedException(member(i), ex);
			}
			catch (TaskRevokedException ex) {
				throw new TaskRevokedException(member(i), ex);
			}
			catch (TaskTimeoutException ex) {
				throw new TaskTimeoutException(member(i), ex, timeout);
			}
		}
		return values;
	}

	@Override
	public void save() {
		CanvasStore groups = this.backend.canvasStore();
		if (groups == null) {
			throw new UnsupportedOperationException(keepsNoGroups("save", this.id, this.backend));
		}
		List<String> memberIds = this.results.stream().map(AsyncResult::id).toList();
		groups.saveGroup(this.id, new AppliedCanvas(this.id, this.id, memberIds).asTuple());
	}

	/** Forget the members' results, and the saved group when the backend keeps groups. */
	@Override
	public void forget() {
		this.results.forEach(AsyncResult::forget);
		CanvasStore groups = this.backend.canvasStore();
		if (groups != null) {
			groups.forgetGroup(this.id);
		}
	}

	@Override
	public void revoke() {
		this.results.forEach((result) -> this.operations.revoke(result.id(), false));
	}

	private boolean allMembers(Predicate<String> status) {
		for (AsyncResult<Object> result : this.results) {
			if (!status.test(status(result))) {
				return false;
			}
		}
		return true;
	}

	private String status(AsyncResult<Object> result) {
		return this.backend.get(result.id()).status();
	}

	private String member(int index) {
		return "Group " + this.id + ", member " + (index + 1) + " of " + this.results.size();
	}

	private static String keepsNoGroups(String action, String id, ResultBackend backend) {
		return "Cannot " + action + " group " + id + ": " + backend.url() + " does not keep groups (Celery's rpc "
				+ "backend cannot either); use a Redis result backend such as redis://host:port/db";
	}

	private static long nanos(Duration timeout) {
		try {
			return Math.max(0, timeout.toNanos());
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	@Override
	public String toString() {
		return "GroupResult[" + this.id + "]";
	}

}
