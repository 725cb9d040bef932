package dev.taskqueue.beat;

import java.time.Instant;
import java.time.ZoneId;

/** Placeholder: Celery's crontab, written by the crontab work. */
final class CrontabSchedule implements Schedule {

	static CrontabSchedule parse(String expression) {
		throw new UnsupportedOperationException("TODO crontab");
	}

	static CrontabSchedule of(String minute, String hour, String dayOfWeek, String dayOfMonth, String monthOfYear) {
		throw new UnsupportedOperationException("TODO crontab");
	}

	@Override
	public Instant nextAfter(Instant after, ZoneId zone) {
		throw new UnsupportedOperationException("TODO crontab");
	}

}
