package dev.taskqueue.worker;

import dev.taskqueue.broker.Delivery;
import dev.taskqueue.protocol.TaskMessage;

/**
 * A task waiting in its {@link WaitingLine} for a rate-limit token.
 *
 * @param delivery its delivery
 * @param message its message
 * @param endpoint the task as it was when it came
 * @param outsideWindow whether the delivery was taken out of the prefetch window
 */
record WaitingTask(Delivery delivery, TaskMessage message, TaskEndpoint endpoint, boolean outsideWindow) {
}
