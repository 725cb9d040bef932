"""Python Celery side of the interop tests: the sample app's tasks, with the same names.

Configured from the environment so one module serves every scenario:
  INTEROP_BROKER       broker URL (default redis://127.0.0.1:6379/10)
  INTEROP_BACKEND      result backend URL (default redis://127.0.0.1:6379/11)
  INTEROP_VISIBILITY   Redis visibility_timeout in seconds (default kombu's 3600)
  INTEROP_ACKS_LATE    '1' -> task_acks_late=True
  INTEROP_RECORD_URL   Redis URL where tasks.record counts executions (default redis://127.0.0.1:6379/12)
  INTEROP_QUEUE        task_default_queue, so that plain delay() calls reach the test's queue
  INTEROP_MAX_PRIORITY task_queue_max_priority (x-max-priority of the queues this app declares)
  INTEROP_TOPIC_QUEUE  "queue:exchange:binding_key": consume a queue bound to a topic exchange
  INTEROP_TASK_SERIALIZER   task_serializer (default json)
  INTEROP_RESULT_SERIALIZER result_serializer (default json)
  INTEROP_ACCEPT       accept_content, comma-separated (default Celery's ['json'])
  INTEROP_KEYPREFIX    Redis global_keyprefix of the broker's keys
  INTEROP_MASTER_NAME  master_name of sentinel:// broker and backend URLs
Canvas tests use tasks.py_add and tasks.py_mul, registered only here, and tasks.count_sum and
tasks.on_error, which count their runs under a hash in INTEROP_RECORD_URL as tasks.record does.
Run a worker: /usr/bin/python3 -m celery -A tasks worker -Q <queue> -n py@%h
"""
import os
import time

from celery import Celery

app = Celery(
    "tasks",
    broker=os.environ.get("INTEROP_BROKER", "redis://127.0.0.1:6379/10"),
    backend=os.environ.get("INTEROP_BACKEND", "redis://127.0.0.1:6379/11"),
)
app.conf.update(
    task_acks_late=os.environ.get("INTEROP_ACKS_LATE") == "1",
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    task_default_queue=os.environ.get("INTEROP_QUEUE", "celery"),
)
if os.environ.get("INTEROP_MAX_PRIORITY"):
    app.conf.task_queue_max_priority = int(os.environ["INTEROP_MAX_PRIORITY"])
if os.environ.get("INTEROP_TOPIC_QUEUE"):
    from kombu import Exchange, Queue
    _name, _exchange, _key = os.environ["INTEROP_TOPIC_QUEUE"].split(":")
    app.conf.task_queues = [Queue(_name, Exchange(_exchange, type="topic"), routing_key=_key)]
if os.environ.get("INTEROP_VISIBILITY"):
    app.conf.broker_transport_options = {"visibility_timeout": int(os.environ["INTEROP_VISIBILITY"])}
    app.conf.result_backend_transport_options = {"visibility_timeout": int(os.environ["INTEROP_VISIBILITY"])}
if os.environ.get("INTEROP_KEYPREFIX"):
    app.conf.broker_transport_options = dict(app.conf.broker_transport_options or {},
                                             global_keyprefix=os.environ["INTEROP_KEYPREFIX"])
if os.environ.get("INTEROP_MASTER_NAME"):
    app.conf.broker_transport_options = dict(app.conf.broker_transport_options or {},
                                             master_name=os.environ["INTEROP_MASTER_NAME"])
    app.conf.result_backend_transport_options = dict(app.conf.result_backend_transport_options or {},
                                                     master_name=os.environ["INTEROP_MASTER_NAME"])
if os.environ.get("INTEROP_TASK_SERIALIZER"):
    app.conf.task_serializer = os.environ["INTEROP_TASK_SERIALIZER"]
if os.environ.get("INTEROP_RESULT_SERIALIZER"):
    app.conf.result_serializer = os.environ["INTEROP_RESULT_SERIALIZER"]
if os.environ.get("INTEROP_ACCEPT"):
    app.conf.accept_content = os.environ["INTEROP_ACCEPT"].split(",")


@app.task(name="tasks.add")
def add(x, y):
    return x + y


@app.task(name="tasks.mul")
def mul(x, y):
    return x * y


@app.task(name="tasks.xsum")
def xsum(numbers):
    return sum(numbers)


@app.task(name="tasks.identity")
def identity(x):
    return x


@app.task(name="tasks.typeof")
def typeof(x):
    """The Python type name of the argument, as the worker received it (bytes, str, dict, ...)."""
    return type(x).__name__


@app.task(name="tasks.fail")
def fail(message):
    raise ValueError(message)


@app.task(name="tasks.sleep")
def sleep(seconds):
    time.sleep(seconds)
    return seconds


@app.task(name="tasks.progress", bind=True)
def progress(self, steps):
    for i in range(1, steps + 1):
        self.update_state(state="PROGRESS", meta={"current": i, "total": steps})
        time.sleep(0.2)
    return steps


@app.task(name="tasks.flaky", bind=True, max_retries=3)
def flaky(self, succeed_on):
    """Retries (RETRY state, 0.5 s apart) until it has been retried succeed_on times."""
    if self.request.retries < succeed_on:
        raise self.retry(exc=KeyError("attempt %d" % self.request.retries), countdown=0.5)
    return self.request.retries


@app.task(name="tasks.retry_once", bind=True)
def retry_once(self):
    """Retries once, 0.5 s later, then returns the number of retries (1)."""
    if self.request.retries == 0:
        raise self.retry(countdown=0.5)
    return self.request.retries


_records = None


def records():
    """The Redis database where tasks count their executions (INTEROP_RECORD_URL)."""
    global _records
    if _records is None:
        import redis
        _records = redis.Redis.from_url(os.environ.get("INTEROP_RECORD_URL", "redis://127.0.0.1:6379/12"))
    return _records


@app.task(name="tasks.record")
def record(key):
    """Counts one execution of this task id under hash `key` (exactly-once checks)."""
    records().hincrby(key, record.request.id, 1)
    records().hincrby(key + ":by", "python", 1)
    return record.request.hostname


@app.task(name="tasks.progress_twice", bind=True, track_started=True)
def progress_twice(self, pause):
    """STARTED, PROGRESS {step: 1, of: 2}, PROGRESS {step: 2, of: 2} `pause` seconds apart, then "done"."""
    for step in (1, 2):
        time.sleep(pause)
        self.update_state(state="PROGRESS", meta={"step": step, "of": 2})
    time.sleep(pause)
    return "done"


# Canvas: tasks only Python registers (the Java twins are tasks.java_*), so that a step of a mixed
# chain or chord can only run on the Python worker.

@app.task(name="tasks.py_add")
def py_add(x, y):
    return x + y


@app.task(name="tasks.py_mul")
def py_mul(x, y):
    return x * y


@app.task(name="tasks.count_sum")
def count_sum(numbers, key):
    """A chord body that counts its executions under hash `key` (by task id, and by side in key:by)."""
    records().hincrby(key, count_sum.request.id, 1)
    records().hincrby(key + ":by", "python", 1)
    return sum(numbers)


@app.task(name="tasks.on_error")
def on_error(task_id, **kwargs):
    """An errback: records under hash kwargs["key"] the id of the failed task it was sent for.

    One positional parameter, so that a Python worker sends it as a task with the failed task's id
    (Celery calls errbacks of more parameters in-process with (request, exc, traceback)).
    """
    records().hincrby(kwargs["key"], task_id, 1)
    records().hincrby(kwargs["key"] + ":by", "python", 1)
    return task_id
