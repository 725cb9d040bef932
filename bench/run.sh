#!/usr/bin/env bash
# Benchmark: Java (this project) next to Python Celery 5.2.6 and the broker's own ceiling, on the same broker,
# in one run.
#   bench/run.sh [redis|amqp] [N=20000]
#   environment: RUNS=3 (every figure is the median of RUNS runs; RUNS=1 for a quick check),
#                CALLS=10000 (Java round trips), PY_CALLS=1000 (Python round trips), WARMUP=20000 (Java),
#                RB_N=100000 (redis-benchmark requests), PT_SECS=8 (each PerfTest publish run),
#                BASELINE=<git ref> (also runs that commit's benchmark, in a "before" column)
#
# Each run measures, in this order:
# - Java, one JVM, through the auto-configured TaskTemplate and worker, warmed up first: the publish rate of N
#   no-op tasks with send() from 8 threads and from 1 (each send waits for the broker's confirm or reply), with
#   sendAll() in chunks of 1,000 requests and with ignoreResult(true).sendAsync() per message (both then wait for
#   every future; taskqueue.broker.*.max-in-flight, 256, bounds what waits for a confirm); the drain of the
#   first N tasks by a worker started after they were queued (Celery's default prefetch, concurrency x 4);
#   CALLS add(1, 2).get() round trips with their breakdown by phase; and for every phase the JVM's CPU time,
#   heap peak and collections. On amqp a second, short JVM drains N tasks at prefetch 128.
# - Python Celery, the lab's scripts (../shared/lab/bench, or $TASKQUEUE_LAB/bench): publish from one
#   process, drain by a prefork worker of 2 processes (prefetch 8), PY_CALLS round trips.
# - The broker's ceiling with matching settings. redis: redis-benchmark LPUSH with 8 clients and 1, with
#   3-byte values and values the size of our envelope (measured on a queued message), and pipelined 16 deep
#   from 1 client. amqp: PerfTest publishing persistent messages of 512 bytes (about a Celery message's
#   body and headers) to a durable queue with publisher confirms: 8 producers with 1 message in flight each,
#   1 producer with 1, 64 and 256 in flight; and PerfTest draining a backlog of N such messages with manual
#   acks at prefetch 8 and 128.
# Then it prints medians (and each run's values) in markdown tables, with the ratios and the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
BROKER=${1:-redis}
N=${2:-20000}
RUNS=${RUNS:-3}
CALLS=${CALLS:-10000}
PY_CALLS=${PY_CALLS:-1000}
WARMUP=${WARMUP:-20000}
RB_N=${RB_N:-100000}
PT_SECS=${PT_SECS:-8}
LAB=${TASKQUEUE_LAB:-../shared/lab}
PY=/usr/bin/python3
case "$BROKER" in
  redis) BROKER_URL=redis://127.0.0.1:6379/0; BACKEND_URL=redis://127.0.0.1:6379/1; PY_BACKEND=redis ;;
  amqp) BROKER_URL=amqp://guest:guest@127.0.0.1:5672//; BACKEND_URL=rpc://; PY_BACKEND=rpc ;;
  *) echo "unsupported broker '$BROKER' (supported: redis, amqp)" >&2; exit 2 ;;
esac
began=$(date +%s)

./mvnw -q -B -pl taskqueue-benchmarks -am package -DskipTests >&2
jar=taskqueue-benchmarks/target/taskqueue-benchmarks.jar
out=$(mktemp)
base=target/bench-baseline
cleanup() {
  rm -f "$out"
  if [ -d "$base" ]; then git worktree remove --force "$base" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ -n "${BASELINE:-}" ]; then
  echo "== building the baseline: $BASELINE ($(git rev-parse --short "$BASELINE"))" >&2
  rm -rf "$base" && git worktree prune
  git worktree add -q --detach "$base" "$BASELINE"
  (cd "$base" && ./mvnw -q -B -pl taskqueue-benchmarks -am package -DskipTests >&2)
fi
if [ "$BROKER" = amqp ]; then
  perf=target/perftest
  if [ ! -d "$perf/lib" ]; then
    mkdir -p "$perf" && cp "$LAB/bench/perftest/pom.xml" "$perf/"
    (cd "$perf" && ../../mvnw -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime >&2)
  fi
fi

# the machine, for the header
rabbit_version() { rabbitmqctl version 2>/dev/null || rabbitmqctl status 2>/dev/null | sed -n 's/.*RabbitMQ version: //p' | head -1; }
machine="$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), \
$(free -g | awk '/^Mem:/{print $2}') GB RAM; $(java -version 2>&1 | head -1); \
Redis $(redis-cli info server | tr -d '\r' | sed -n 's/^redis_version://p')$( [ "$BROKER" = amqp ] && echo "; RabbitMQ $(rabbit_version)"); \
Python Celery $($PY -c 'import celery; print(celery.__version__)')"
echo "== $machine" >&2

tag() { sed "s/\$/ run=$1/"; }
drop_queue() { # the benchmark's queue, empty once it drained (on Redis an empty list is no key)
  if [ "$BROKER" = amqp ]; then rabbitmqctl delete_queue "$1" > /dev/null 2>&1 || true; fi
}
java_runs() { # jar, impl name, run
  local q="bench-$$-$2-$3"
  java -Dbench.queue="$q" -jar "$1" "$BROKER_URL" "$BACKEND_URL" "$N" 8 "$CALLS" "$WARMUP" | grep '^RESULT' \
    | sed "s/ impl=java / impl=$2 /" | tag "$3" | tee -a "$out" >&2
  drop_queue "$q"
  if [ "$BROKER" = amqp ]; then
    java -Dbench.queue="$q-128" -Dtaskqueue.worker.prefetch-multiplier=64 -Dbench.mode=drain -jar "$1" \
      "$BROKER_URL" "$BACKEND_URL" "$N" 8 0 "$((WARMUP / 2))" | grep '^RESULT drain ' \
      | sed "s/^RESULT drain /RESULT drain128 /; s/ impl=java / impl=$2 /" | tag "$3" | tee -a "$out" >&2
    drop_queue "$q-128"
  fi
}
redis_bench() { # name, redis-benchmark options
  local name=$1; shift
  local rate
  rate=$(redis-benchmark -h 127.0.0.1 -p 6379 --dbnum 13 -q -t lpush -n "$RB_N" "$@" 2>&1 | tr '\r' '\n' \
    | grep -oE '^LPUSH: [0-9.]+' | awk '{print $2}' | tail -1)
  redis-cli -n 13 del mylist > /dev/null
  echo "RESULT $name impl=ceiling options=$(echo "$*" | tr ' ' '_') rate=${rate:-0} req/s" | tag "$r" | tee -a "$out" >&2
}
perftest() { java -cp "$perf/lib/*" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 "$@"; }
perf_rate() { grep -oE "$1 rate avg: [0-9]+" | awk '{print $4}' | tail -1; }
perf_publish() { # name, PerfTest options: persistent 512-byte messages, confirms, to a durable queue of ours
  local name=$1; shift
  local q="bench-perftest-$$-$name" rate
  rate=$(perftest -y 0 -s 512 -f persistent -u "$q" -ad false -z "$PT_SECS" "$@" 2>&1 | perf_rate sending)
  rabbitmqctl delete_queue "$q" > /dev/null 2>&1 || true
  echo "RESULT $name impl=ceiling options=$(echo "$*" | tr ' ' '_') rate=${rate:-0} msg/s" | tag "$r" | tee -a "$out" >&2
}
perf_drain() { # name, prefetch: a backlog of N persistent messages drained with manual acks
  local q="bench-perftest-$$-$1" rate
  perftest -x 1 -y 0 -C "$N" -c 256 -s 512 -f persistent -u "$q" -ad false > /dev/null 2>&1 || true
  rate=$(perftest -x 0 -y 1 -D "$N" -q "$2" -u "$q" -ad false -p 2>&1 | perf_rate receiving)
  rabbitmqctl delete_queue "$q" > /dev/null 2>&1 || true
  echo "RESULT $1 impl=ceiling options=-q_$2 rate=${rate:-0} msg/s" | tag "$r" | tee -a "$out" >&2
}

for r in $(seq 1 "$RUNS"); do
  echo "== run $r/$RUNS: Java" >&2
  java_runs "$jar" java "$r"
  if [ -n "${BASELINE:-}" ]; then
    echo "== run $r/$RUNS: Java before ($BASELINE)" >&2
    java_runs "$base/$jar" before "$r"
  fi
  echo "== run $r/$RUNS: Python Celery" >&2
  (cd "$LAB/bench" \
    && $PY bench_publish.py "$BROKER" "$N" \
    && $PY bench_drain.py "$BROKER" prefork 2 "$N" \
    && $PY bench_latency.py "$BROKER" "$PY_BACKEND" "$PY_CALLS") 2>&1 | grep '^RESULT' \
    | sed 's/^RESULT \([a-z]*\) /RESULT \1 impl=python /' | tag "$r" | tee -a "$out" >&2
  echo "== run $r/$RUNS: broker ceilings" >&2
  if [ "$BROKER" = redis ]; then
    size=$(grep "^RESULT envelope impl=java .* run=$r\$" "$out" | sed -n 's/.* bytes=\([0-9]*\).*/\1/p' | head -1)
    size=${size:-600}
    redis_bench rb_c8 -c 8
    redis_bench rb_c8_env -c 8 -d "$size"
    redis_bench rb_c1 -c 1
    redis_bench rb_c1_env -c 1 -d "$size"
    redis_bench rb_p16_env -c 1 -P 16 -d "$size"
  else
    perf_publish pt_x8_c1 -x 8 -c 1
    perf_publish pt_x1_c1 -x 1 -c 1
    perf_publish pt_x1_c64 -x 1 -c 64
    perf_publish pt_x1_c256 -x 1 -c 256
    perf_drain pt_drain8 8
    perf_drain pt_drain128 128
  fi
done

echo
$PY - "$out" "$BROKER" "$N" "$RUNS" "$CALLS" "$PY_CALLS" "${BASELINE:-}" "$machine" "$RB_N" "$PT_SECS" <<'PYEOF'
import re
import statistics
import sys

path, broker, n, runs, calls, py_calls, baseline, machine, rb_n, pt_secs = sys.argv[1:11]
rows = []
for line in open(path):
    parts = line.split()
    fields = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
    rows.append((parts[1], fields))


def values(name, impl, field):
    vals = []
    for n_, f in rows:
        if n_ == name and f.get("impl") == impl and field in f:
            try:
                vals.append(float(f[field]))
            except ValueError:
                pass
    return vals


def med(name, impl, field):
    v = values(name, impl, field)
    return statistics.median(v) if v else None


def fmt(x, ms=False):
    if x is None:
        return "-"
    if ms:
        return "%.3f" % x
    if x == int(x) and abs(x) < 1e6:
        return "%d" % x
    if False:
        return "%.3f" % x
    return "%.0f" % x if abs(x) >= 100 else ("%.1f" % x if abs(x) >= 10 else "%.2f" % x)


def cell(name, impl, field, ms=False):
    v = values(name, impl, field)
    if not v:
        return "-"
    m = fmt(statistics.median(v), ms)
    return m if len(v) == 1 else "%s [%s]" % (m, ", ".join(fmt(x, ms) for x in v))


def pct(a, b):
    return "%.0f%%" % (100.0 * a / b) if a is not None and b else "-"


def times(a, b):
    return "%.2fx" % (a / b) if a is not None and b else "-"


def check(ok):
    return "-" if ok is None else ("met" if ok else "**NOT MET**")


print("### %s: Java (taskqueue) vs its ceiling vs Python Celery" % broker)
print()
print("Machine: %s. N=%s tasks, median of %s run(s), [each run]; Java round trip over %s calls after warm-up, "
      "Python's over %s. Java vs Python: how many times better Java is (rates: Java / Python, latencies: "
      "Python / Java)." % (machine, n, runs, calls, py_calls))
print()
print("| measure | Java | ceiling (matching settings) | ceiling | Java/ceiling | Python | Java vs Python | target | met |")
print("|---|---|---|---|---|---|---|---|---|")
py_pub = med("publish", "python", "rate")
py_drain = med("drain", "python", "rate")


def rate_row(label, name, ceil_label, ceil_name, py_name=None, target="", ok=None):
    # one rate: Java's, its ceiling with matching settings, Python's, the ratios and the target
    j = med(name, "java", "rate")
    c = med(ceil_name, "ceiling", "rate") if ceil_name else None
    py = med(py_name, "python", "rate") if py_name else None
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        label, cell(name, "java", "rate"), ceil_label if ceil_name else "-",
        cell(ceil_name, "ceiling", "rate") if ceil_name else "-", pct(j, c),
        cell(py_name, "python", "rate") if py_name else "-", times(j, py), target, check(ok)))
    return j


def target_pct(j, ref, share, what):
    if j is None or not ref:
        return "%s: -" % what, None
    return "%s: %.0f%%" % (what, 100.0 * j / ref), j >= share * ref


if broker == "amqp":
    w64 = med("pt_x1_c64", "ceiling", "rate")
    j = med("publish", "java", "rate")
    t, ok = target_pct(j, w64, 0.8, "&ge; 80% of PerfTest window 64")
    rate_row("publish, send(), 8 threads, msg/s", "publish", "PerfTest 8 producers, window 1", "pt_x8_c1",
             "publish", t, ok)
    j1 = med("publish_1", "java", "rate")
    rate_row("publish, send(), 1 thread, msg/s", "publish_1", "PerfTest 1 producer, window 1", "pt_x1_c1",
             "publish", "&ge; Python's single process", None if j1 is None or py_pub is None else j1 >= py_pub)
    for label, name in (("bulk, sendAll() by 1,000, 1 thread, msg/s", "bulk_sendall"),
                        ("bulk, sendAsync() each, ignoreResult, 1 thread, msg/s", "bulk_sendasync")):
        j = med(name, "java", "rate")
        t, ok = target_pct(j, w64, 0.9, "&ge; 90% of PerfTest window 64")
        rate_row(label, name, "PerfTest 1 producer, window 256 (= max-in-flight)", "pt_x1_c256", "publish", t, ok)
    j = med("drain", "java", "rate")
    c = med("pt_drain8", "ceiling", "rate")
    t, ok = target_pct(j, c, 0.7, "&ge; 70% of PerfTest drain, prefetch 8")
    rate_row("drain of N, prefetch 8 (Celery's default: 2 x 4), tasks/s", "drain", "PerfTest drain, prefetch 8",
             "pt_drain8", "drain", t, ok)
    j = med("drain128", "java", "rate")
    c = med("pt_drain128", "ceiling", "rate")
    t, ok = target_pct(j, c, 0.85, "&ge; 85% of PerfTest drain, prefetch 128")
    rate_row("drain of N, prefetch 128, tasks/s", "drain128", "PerfTest drain, prefetch 128", "pt_drain128",
             None, t, ok)
else:
    c8 = med("rb_c8_env", "ceiling", "rate")
    j = med("publish", "java", "rate")
    t, ok = target_pct(j, c8, 0.8, "&ge; 80% of LPUSH -c 8")
    rate_row("publish, send(), 8 threads, msg/s", "publish", "redis-benchmark LPUSH -c 8, envelope size",
             "rb_c8_env", "publish", t, ok)
    j1 = med("publish_1", "java", "rate")
    rate_row("publish, send(), 1 thread, msg/s", "publish_1", "redis-benchmark LPUSH -c 1, envelope size",
             "rb_c1_env", "publish", "&ge; 10x Python's single process",
             None if j1 is None or py_pub is None else j1 >= 10 * py_pub)
    for label, name in (("bulk, sendAll() by 1,000, 1 thread, msg/s", "bulk_sendall"),
                        ("bulk, sendAsync() each, ignoreResult, 1 thread, msg/s", "bulk_sendasync")):
        rate_row(label, name, "redis-benchmark LPUSH -c 1 -P 16, envelope size", "rb_p16_env", "publish")
    rate_row("drain of N, prefetch 8 (Celery's default: 2 x 4), tasks/s", "drain", "", None, "drain")

for label, field, target, limit in (("add(1, 2).get() p50, ms", "p50_ms", "&le; 0.5 ms", 0.5),
                                    ("add(1, 2).get() p90, ms", "p90_ms", "", None),
                                    ("add(1, 2).get() p99, ms", "p99_ms", "&le; 3 ms", 3.0),
                                    ("add(1, 2).get() max, ms", "max_ms", "", None)):
    j = med("latency", "java", field)
    p = med("latency", "python", field)
    print("| %s | %s | - | - | - | %s | %s | %s | %s |" % (
        label, cell("latency", "java", field, True), cell("latency", "python", field, True),
        times(p, j), target,
        check(None if limit is None or j is None else j <= limit)))

print()
print("Round trip breakdown (Java, median of the runs' p50 and p99, ms):")
print()
print("| phase | p50 | p99 |")
print("|---|---|---|")
for name, label in (("publish", "publish: send() until it returned"),
                    ("to_worker", "broker to worker: send() returned until the worker received the message"),
                    ("worker_queue", "worker: received until started on a pool thread"),
                    ("execution", "execution: started until the method returned"),
                    ("result", "result: method returned until get() returned (store + notification + read)"),
                    ("store_ack", "of which worker side: method returned until taskSucceeded (store + ack)")):
    print("| %s | %s | %s |" % (label, cell("lat_" + name, "java", "p50_ms", True),
                               cell("lat_" + name, "java", "p99_ms", True)))

print()
print("JVM usage per phase (Java, medians; CPU is the whole process: publishers, broker I/O and worker):")
print()
print("| phase | CPU s | CPU ms per 1,000 tasks | heap peak MB | GCs | GC ms |")
print("|---|---|---|---|---|---|")
for name in ("publish", "publish_1", "bulk_sendall", "bulk_sendasync", "drain", "drain128", "latency"):
    if values(name, "java", "cpu_s"):
        print("| %s | %s | %s | %s | %s | %s |" % (name, cell(name, "java", "cpu_s", True),
                                                  cell(name, "java", "cpu_ms_per_1k"),
                                                  cell(name, "java", "heap_peak_mb"),
                                                  cell(name, "java", "gc_count"), cell(name, "java", "gc_ms")))
print("| whole measured part (max heap %s MB) | %s | - | %s | %s | %s |" % (
    fmt(med("jvm", "java", "heap_max_mb")), cell("jvm", "java", "cpu_s", True),
    cell("jvm", "java", "heap_peak_overall_mb"), cell("jvm", "java", "gc_count"), cell("jvm", "java", "gc_ms")))

print()
print("Broker ceilings (medians [each run]):")
print()
print("| ceiling | rate |")
print("|---|---|")
if broker == "redis":
    size = med("envelope", "java", "bytes")
    desc = {"rb_c8": "LPUSH, 8 clients, 3-byte values", "rb_c8_env": "LPUSH, 8 clients, envelope-size values",
            "rb_c1": "LPUSH, 1 client, 3-byte values", "rb_c1_env": "LPUSH, 1 client, envelope-size values",
            "rb_p16_env": "LPUSH, 1 client, pipeline 16, envelope-size values"}
    print("| envelope size (bytes, measured on a queued message) | %s |" % fmt(size))
    unit = "req/s (redis-benchmark -n %s)" % rb_n
else:
    desc = {"pt_x8_c1": "publish: 8 producers, confirm window 1", "pt_x1_c1": "publish: 1 producer, window 1",
            "pt_x1_c64": "publish: 1 producer, window 64", "pt_x1_c256": "publish: 1 producer, window 256",
            "pt_drain8": "drain of N: prefetch 8, manual acks", "pt_drain128": "drain of N: prefetch 128, manual acks"}
    unit = "msg/s (PerfTest: persistent, 512 bytes, durable queue; publish runs %s s)" % pt_secs
for name, label in desc.items():
    print("| %s, %s | %s |" % (label, unit, cell(name, "ceiling", "rate")))

if baseline:
    print()
    print("Before and after (Java, medians [each run]); before = %s:" % baseline)
    print()
    print("| measure | now | before |")
    print("|---|---|---|")
    for name, field, ms in (("publish", "rate", False), ("publish_1", "rate", False),
                            ("bulk_sendall", "rate", False), ("bulk_sendasync", "rate", False),
                            ("drain", "rate", False), ("drain128", "rate", False),
                            ("latency", "p50_ms", True), ("latency", "p99_ms", True)):
        print("| %s %s | %s | %s |" % (name, field, cell(name, "java", field, ms), cell(name, "before", field, ms)))
PYEOF
echo
echo "($BROKER: $(( $(date +%s) - began )) s in all, RUNS=$RUNS, N=$N)"
