"""Python Celery client for the interop tests. Prints one JSON object per line on stdout.

  client.py send NAME '<json options>'    options: args, kwargs, queue, countdown, eta (ISO), expires
                                          (seconds or ISO), priority, time_limit, soft_time_limit, wait
                                          (seconds to wait for the result), watch_progress (collect PROGRESS
                                          metas while waiting); the output lists the states seen while
                                          waiting, in order
  client.py apply NAME '<json options>'   the same, with task.apply_async of this module's task
  client.py delay NAME '<json options>'   task.delay(*args, **kwargs) on the default queue (INTEROP_QUEUE); wait
  client.py get ID [wait]                 reads a result
  client.py canvas '<json signature>' [wait]
                                          applies a canvas given in Celery's JSON form (dict(sig)) with
                                          signature(spec).apply_async() and waits up to wait seconds (30):
                                          a group prints {kind: group, id, ids, states, results}, anything
                                          else the outcome of its result (a chain's last step, a chord's
                                          body) with kind: result and parents: [{id, members?}] (res.parent,
                                          res.parent.parent, ...; members for a GroupResult)
  client.py walk ID [wait]                follows a task's children from ID (first child each time):
                                          {nodes: [{id, state, result, children}], collect: [values]}, the
                                          latter from Celery's own AsyncResult.collect()
  client.py events SECONDS [TASK_ID]      captures events with Celery's own EventReceiver (wakeup: it
                                          broadcasts heartbeat first) for SECONDS, or until TASK_ID is
                                          succeeded, failed or revoked; prints "listening" once subscribed,
                                          then {events: [...], workers: {node: {alive, sw_ident, ...}},
                                          tasks: {uuid: {state, name, result, runtime, worker}}} from
                                          celery.events.state.State
"""
import datetime
import json
import sys
import time

from celery import signature
from celery.exceptions import TimeoutError as CeleryTimeout
from celery.result import GroupResult

from tasks import app


def outcome(result, wait, watch_progress=False):
    seen = []
    states = []
    if wait:
        deadline = time.time() + wait
        while time.time() < deadline and not result.ready():
            state = result.state
            if not states or states[-1] != state:
                states.append(state)
            if watch_progress and state == "PROGRESS" and result.info not in seen:
                seen.append(result.info)
            time.sleep(0.02)
    out = {"id": result.id, "state": result.state, "progress": seen, "states": states,
           "date_done": result.date_done.isoformat() if result.date_done else None}
    if result.state == "SUCCESS":
        out["result"] = result.result
    elif result.state in ("FAILURE", "REVOKED"):
        exc = result.result
        out["exc_type"] = type(exc).__name__
        out["exc_module"] = type(exc).__module__
        out["exc_message"] = str(exc)
        out["traceback"] = result.traceback
    else:
        out["result"] = result.info
    return out


def plain(value):
    """A JSON-friendly value: exceptions become {exc_type, exc_message}."""
    if isinstance(value, BaseException):
        return {"exc_type": type(value).__name__, "exc_message": str(value)}
    return value


def apply_canvas(spec, wait):
    result = signature(spec, app=app).apply_async()
    if isinstance(result, GroupResult):
        try:
            values = result.get(timeout=wait, propagate=False)
        except CeleryTimeout:
            values = None
        return {"kind": "group", "id": result.id, "ids": [r.id for r in result.results],
                "states": [r.state for r in result.results],
                "results": [plain(v) for v in values] if values is not None else None}
    try:
        result.get(timeout=wait, propagate=False)
    except CeleryTimeout:
        pass
    out = outcome(result, 0)
    out["kind"] = "result"
    parents = []
    parent = result.parent
    while parent is not None:
        entry = {"id": parent.id}
        if isinstance(parent, GroupResult):
            entry["members"] = [r.id for r in parent.results]
        parents.append(entry)
        parent = parent.parent
    out["parents"] = parents
    return out


def walk(root, wait):
    nodes = []
    current = app.AsyncResult(root)
    while current is not None and len(nodes) < 100:
        try:
            current.get(timeout=wait, propagate=False)
        except CeleryTimeout:
            pass
        children = current.children or []
        nodes.append({"id": current.id, "state": current.state, "result": plain(current.result),
                      "children": [child.id for child in children]})
        current = children[0] if children else None
    try:
        collected = [plain(value) for _, value in app.AsyncResult(root).collect()]
    except Exception as ex:  # IncompleteStream and the like: report, the test decides
        collected = plain(ex)
    return {"nodes": nodes, "collect": collected}


def capture_events(seconds, task_id=None):
    import socket
    state = app.events.State()
    events = []
    done = {"task-succeeded", "task-failed", "task-revoked"}
    finished = []

    def on_event(event):
        events.append(event)
        state.event(event)
        if task_id and event.get("uuid") == task_id and event.get("type") in done:
            finished.append(event)

    deadline = time.time() + seconds
    with app.connection_for_read() as connection:
        receiver = app.events.Receiver(connection, handlers={"*": on_event})
        with receiver.consumer_context(wakeup=True) as (consuming, _channel, _consumers):
            print("listening", flush=True)
            while time.time() < deadline and not finished:
                try:
                    consuming.drain_events(timeout=0.5)
                except (socket.timeout, TimeoutError):
                    pass
    workers = {name: {"alive": worker.alive, "sw_ident": worker.sw_ident, "sw_ver": worker.sw_ver,
                      "sw_sys": worker.sw_sys, "freq": worker.freq, "active": worker.active,
                      "processed": worker.processed}
               for name, worker in state.workers.items()}
    tasks = {uuid: {"state": task.state, "name": task.name, "result": task.result, "runtime": task.runtime,
                    "args": task.args, "worker": task.worker.hostname if task.worker else None}
             for uuid, task in state.tasks.items()}
    return {"events": events, "workers": workers, "tasks": tasks}


def main():
    command = sys.argv[1]
    if command in ("send", "apply"):
        name, options = sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
        send = {}
        for key in ("queue", "countdown", "priority", "task_id", "time_limit", "soft_time_limit"):
            if key in options:
                send[key] = options[key]
        if "eta" in options:
            send["eta"] = datetime.datetime.fromisoformat(options["eta"])
        if "expires" in options:
            expires = options["expires"]
            send["expires"] = datetime.datetime.fromisoformat(expires) if isinstance(expires, str) else expires
        if command == "apply":
            result = app.tasks[name].apply_async(options.get("args", []), options.get("kwargs", {}), **send)
        else:
            result = app.send_task(name, args=options.get("args", []), kwargs=options.get("kwargs", {}), **send)
        print(json.dumps(outcome(result, options.get("wait", 0), options.get("watch_progress", False))), flush=True)
    elif command == "delay":
        name, options = sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
        task = app.tasks[name]
        result = task.delay(*options.get("args", []), **options.get("kwargs", {}))
        print(json.dumps(outcome(result, options.get("wait", 0))), flush=True)
    elif command == "get":
        result = app.AsyncResult(sys.argv[2])
        print(json.dumps(outcome(result, float(sys.argv[3]) if len(sys.argv) > 3 else 0)), flush=True)
    elif command == "canvas":
        wait = float(sys.argv[3]) if len(sys.argv) > 3 else 30
        print(json.dumps(apply_canvas(json.loads(sys.argv[2]), wait)), flush=True)
    elif command == "walk":
        wait = float(sys.argv[3]) if len(sys.argv) > 3 else 30
        print(json.dumps(walk(sys.argv[2], wait)), flush=True)
    elif command == "events":
        task_id = sys.argv[3] if len(sys.argv) > 3 else None
        print(json.dumps(capture_events(float(sys.argv[2]), task_id), default=str), flush=True)
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main()
