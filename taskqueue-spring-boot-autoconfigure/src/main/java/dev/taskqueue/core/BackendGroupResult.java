package dev.taskqueue.core;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.backend.ResultBackend;

/** Placeholder until the group result lands. */
final class BackendGroupResult implements GroupResult {

	private final String id;

	private final List<AsyncResult<Object>> results;

	BackendGroupResult(String id, List<String> members, ResultBackend backend, JsonMapper mapper,
			TaskOperations operations) {
		this.id = id;
		this.results = members.stream().map(operations::result).toList();
	}

	static GroupResult restore(String id, ResultBackend backend, JsonMapper mapper, TaskOperations operations) {
		throw new UnsupportedOperationException("TODO");
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
		return this.results.stream().allMatch(AsyncResult::ready);
	}

	@Override
	public boolean successful() {
		return this.results.stream().allMatch(AsyncResult::successful);
	}

	@Override
	public boolean failed() {
		return this.results.stream().anyMatch(AsyncResult::failed);
	}

	@Override
	public int completedCount() {
		return (int) this.results.stream().filter(AsyncResult::successful).count();
	}

	@Override
	public List<@Nullable Object> join(Duration timeout) {
		return this.results.stream().map((r) -> (Object) r.get(timeout)).toList();
	}

	@Override
	public <R> List<@Nullable R> join(Duration timeout, Class<R> type) {
		return this.results.stream().map((r) -> r.get(timeout, type)).toList();
	}

	@Override
	public void save() {
		throw new UnsupportedOperationException("TODO");
	}

	@Override
	public void forget() {
	}

	@Override
	public void revoke() {
	}

}
