/**
 * The dashboard: web pages of the fleet's workers, tasks and queues, built from Celery's events
 * and remote control, and Flower's REST API. The only package that knows Spring MVC.
 */
@NullMarked
package dev.taskqueue.dashboard;

import org.jspecify.annotations.NullMarked;
