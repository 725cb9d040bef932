"""Python Celery client for the interop tests. Prints one JSON object per line on stdout.

  client.py send NAME '<json options>'    options: args, kwargs, queue, countdown, eta (ISO), expires
                                          (seconds or ISO), priority, time_limit, soft_time_limit, wait
                                          (seconds to wait for the result), watch_progress (collect PROGRESS
                                          metas while waiting); the output lists the states seen while
                                          waiting, in order
  client.py apply NAME '<json options>'   the same, with task.apply_async of this module's task
  client.py delay NAME '<json options>'   task.delay(*args, **kwargs) on the default queue (INTEROP_QUEUE); wait
  client.py get ID [wait]                 reads a result
"""
import datetime
import json
import sys
import time

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
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main()
