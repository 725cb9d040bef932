package dev.taskqueue.control;

/**
 * What a worker knows of a task asked for with {@code query_task}.
 *
 * @param state {@code active}, {@code reserved} or {@code ready}
 * @param request the task
 */
public record QueriedTask(String state, TaskInfo request) {
}
