"""When Celery's beat sends a crontab's ticks.

Takes arguments "zone|minute|hour|day_of_week|day_of_month|month_of_year|start|count", start
in ISO 8601 UTC; prints for each argument a line of the next `count` ticks, as ISO 8601 UTC
separated by blanks. A tick is the first instant at which crontab.is_due(last_run_at) is true, with now
moving forward from the last run as beat sees it (checks at least once a minute); beat then
records the tick as the new last run (Entry._next_instance with last_run_at=now).
"""
import sys
from datetime import datetime, timedelta

import pytz
from celery import Celery
from celery.schedules import crontab

MINUTE = timedelta(minutes=1)
SLACK = timedelta(hours=3)


def tick(schedule, tz, last):
    now = last
    schedule.nowfun = lambda: now
    while True:
        if schedule.is_due(last).is_due:
            return now
        rem = schedule.remaining_estimate(last)
        if rem > SLACK:
            # no change of offset (at most 2 hours) can make it due before then
            now = (now + rem - SLACK).astimezone(tz)
        elif now.utcoffset() == (now + rem).astimezone(tz).utcoffset():
            # no change of offset in between: due exactly then
            now = (now + rem).astimezone(tz)
        else:
            utc = now.astimezone(pytz.utc).replace(second=0, microsecond=0)
            now = (utc + MINUTE).astimezone(tz)


def main():
    apps = {}
    for line in sys.argv[1:]:
        zone, minute, hour, dow, dom, moy, start, count = line.strip().split('|')
        app = apps.get(zone)
        if app is None:
            app = apps[zone] = Celery(set_as_current=False)
            app.conf.timezone = zone
            app.conf.enable_utc = True
        tz = app.timezone
        schedule = crontab(minute=minute, hour=hour, day_of_week=dow, day_of_month=dom,
                           month_of_year=moy, app=app)
        last = pytz.utc.localize(datetime.strptime(start, '%Y-%m-%dT%H:%M:%SZ')).astimezone(tz)
        ticks = []
        for _ in range(int(count)):
            last = tick(schedule, tz, last)
            ticks.append(last.astimezone(pytz.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))
        print(' '.join(ticks))


if __name__ == '__main__':
    main()
