#!/usr/bin/env bash
# Benchmark: Java (this project) next to Python Celery 5.2.6 on the same broker, in one run.
#   bench/run.sh [redis|amqp] [N=20000]
# Prints the publish rate of N no-op tasks (Java: 8 publishing threads; the Python script: one),
# the drain rate of those N tasks by a worker started
# after they were queued, and add(1, 2).get() round-trip latency over 1,000 calls; the drain and the
# round trip twice: with tasks acknowledged late (our default) and early (Celery's default).
# Python figures come from the lab's baseline scripts (../shared/lab/bench, or $TASKQUEUE_LAB/bench).
# On amqp it also measures the Java drain with a prefetch window of 128 instead of Celery's default
# (concurrency x 4), and runs RabbitMQ PerfTest twice as the broker's ceiling: the lab's run (1 producer,
# 1 consumer, manual acks, non-persistent 12-byte messages, unlimited prefetch) and a drain of N persistent
# messages from a durable queue with prefetch 128 and manual acks, which is what a Celery worker drains.
# With BASELINE=<git ref> (such as BASELINE=main~3) it also builds that commit's benchmark in a temporary
# worktree and runs it right after this one's, on the same broker, and prints it in a "before" column.
set -euo pipefail
cd "$(dirname "$0")/.."
BROKER=${1:-redis}
N=${2:-20000}
LAB=${TASKQUEUE_LAB:-../shared/lab}
PY=/usr/bin/python3
case "$BROKER" in
  redis) BROKER_URL=redis://127.0.0.1:6379/0; BACKEND_URL=redis://127.0.0.1:6379/1; PY_BACKEND=redis ;;
  amqp) BROKER_URL=amqp://guest:guest@127.0.0.1:5672//; BACKEND_URL=rpc://; PY_BACKEND=rpc ;;
  *) echo "unsupported broker '$BROKER' (supported: redis, amqp)" >&2; exit 2 ;;
esac

./mvnw -q -B -pl taskqueue-benchmarks -am package -DskipTests
out=$(mktemp)
base=target/bench-baseline
cleanup() {
  rm -f "$out"
  if [ -d "$base" ]; then git worktree remove --force "$base" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

echo "== Java: $(java -version 2>&1 | head -1)" >&2
java -jar taskqueue-benchmarks/target/taskqueue-benchmarks.jar "$BROKER_URL" "$BACKEND_URL" "$N" 8 1000 \
  | grep '^RESULT' | tee -a "$out"
# Tasks acknowledge late by default (Celery's default is early): the same drain and round trip, acking early
java -Dtaskqueue.task.acks-late=false -jar taskqueue-benchmarks/target/taskqueue-benchmarks.jar \
  "$BROKER_URL" "$BACKEND_URL" "$N" 8 1000 | grep -E '^RESULT (drain|latency) ' \
  | sed 's/^RESULT \([a-z]*\) /RESULT \1_early /' | tee -a "$out"
if [ "$BROKER" = amqp ]; then
  java -Dtaskqueue.worker.prefetch-multiplier=64 -jar taskqueue-benchmarks/target/taskqueue-benchmarks.jar \
    "$BROKER_URL" "$BACKEND_URL" "$N" 8 0 | grep '^RESULT drain' | sed 's/^RESULT drain /RESULT drain128 /' | tee -a "$out"
fi

if [ -n "${BASELINE:-}" ]; then
  echo "== Java, before: $BASELINE ($(git rev-parse --short "$BASELINE"))" >&2
  rm -rf "$base" && git worktree prune
  git worktree add -q --detach "$base" "$BASELINE"
  (cd "$base" && ./mvnw -q -B -pl taskqueue-benchmarks -am package -DskipTests)
  java -jar "$base/taskqueue-benchmarks/target/taskqueue-benchmarks.jar" "$BROKER_URL" "$BACKEND_URL" "$N" 8 1000 \
    | grep '^RESULT' | sed 's/ impl=java / impl=before /' | tee -a "$out"
  if [ "$BROKER" = amqp ]; then
    java -Dtaskqueue.worker.prefetch-multiplier=64 -jar "$base/taskqueue-benchmarks/target/taskqueue-benchmarks.jar" \
      "$BROKER_URL" "$BACKEND_URL" "$N" 8 0 | grep '^RESULT drain' \
      | sed 's/^RESULT drain /RESULT drain128 /; s/ impl=java / impl=before /' | tee -a "$out"
  fi
fi

echo "== Python Celery $($PY -c 'import celery; print(celery.__version__)')" >&2
(cd "$LAB/bench" \
  && $PY bench_publish.py "$BROKER" "$N" \
  && $PY bench_drain.py "$BROKER" prefork 2 "$N" \
  && $PY bench_latency.py "$BROKER" "$PY_BACKEND" 1000) 2>&1 | grep '^RESULT' | sed 's/^RESULT \([a-z]*\) /RESULT \1 impl=python /' | tee -a "$out"

if [ "$BROKER" = amqp ]; then
  perf=target/perftest
  if [ ! -d "$perf/lib" ]; then
    mkdir -p "$perf" && cp "$LAB/bench/perftest/pom.xml" "$perf/"
    (cd "$perf" && ../../mvnw -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime)
  fi
  perftest() { java -cp "$perf/lib/*" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 "$@"; }
  rate() { grep -oE "$1 rate avg: [0-9]+" | awk '{print $4}'; }
  echo "RESULT perftest impl=perftest mode=manualack rate=$(perftest -x 1 -y 1 -s 12 -z 20 2>&1 | rate receiving) msg/s" \
    | tee -a "$out"
  q=perftest-persistent-$$
  perftest -x 1 -y 0 -C "$N" -f persistent -u "$q" -ad false -s 512 > /dev/null 2>&1 || true
  echo "RESULT perftest_drain impl=perftest mode=persistent-backlog rate=$(perftest -x 0 -y 1 -D "$N" -q 128 -u "$q" \
    -ad false -p 2>&1 | rate receiving) msg/s" | tee -a "$out"
  rabbitmqctl delete_queue "$q" > /dev/null 2>&1 || true
fi

field() { grep "^RESULT $1 impl=$2 " "$out" | sed -n "s/.* $3=\([0-9.]*\).*/\1/p" | head -1; }
row() { # label, result name, field, python column
  if [ -n "${BASELINE:-}" ]; then
    echo "| $1 | $(field "$2" java "$3") | $(field "$2" before "$3") | $4 |"
  else
    echo "| $1 | $(field "$2" java "$3") | $4 |"
  fi
}
echo
if [ -n "${BASELINE:-}" ]; then
  echo "| $BROKER, $(nproc) cores | Java (taskqueue) | Java before ($BASELINE) | Python Celery 5.2.6 |"
  echo "|---|---|---|---|"
else
  echo "| $BROKER, $(nproc) cores | Java (taskqueue) | Python Celery 5.2.6 |"
  echo "|---|---|---|"
fi
row "publish, tasks/s" publish rate "$(field publish python rate)"
row "drain of $N no-op tasks, tasks/s" drain rate "$(field drain python rate)"
row "add(1, 2).get() p50, ms" latency p50_ms "$(field latency python p50_ms)"
row "add(1, 2).get() p99, ms" latency p99_ms "$(field latency python p99_ms)"
row "drain, tasks acking early (Celery's default), tasks/s" drain_early rate ""
row "add(1, 2).get() p50, acking early, ms" latency_early p50_ms ""
if [ "$BROKER" = amqp ]; then
  row "drain of $N no-op tasks, prefetch 128, tasks/s" drain128 rate ""
  echo "| PerfTest drain of $N persistent messages, prefetch 128, manual acks, msg/s | $(field perftest_drain perftest rate) | |"
  echo "| PerfTest 1 producer + 1 consumer, non-persistent, manual acks, msg/s | $(field perftest perftest rate) | |"
fi
