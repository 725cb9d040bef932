package dev.taskqueue.worker;

import java.util.function.BooleanSupplier;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.TaskMessage;

/**
 * Creates the runnable that executes one task.
 */
@FunctionalInterface
interface TaskExecutionFactory {

	Runnable create(Delivery delivery, TaskMessage message, TaskEndpoint endpoint, BooleanSupplier stopping);

}
