#!/usr/bin/env bash
# Agent-bus load test of `aura serve` from a second process on loopback: io.aura.bench.BusLoad
# (aura-bench) enrols PAIRS pairs of agents, connects them over WebSocket and sends A_i -> B_i with
# at most WINDOW unanswered messages per sender; enforcement is the server's normal path (every
# message is checked), and with BREAKER=1 a circuit breaker on an agent outside the test is active.
#
#   bench/bus-load.sh                       # 1 pair, window 128, 5 s warm-up, 20 s measured
#   PAIRS=4 WINDOW=64 DUR=30 BREAKER=1 PIN=1 bench/bus-load.sh
#   CLIENT=1 bench/bus-load.sh              # the same load through the Java client (io.aura.bench.ClientLoad)
#
# AURA_JAVA_OPTS reaches the server only (e.g. a JFR recording).
# CLUSTER=1 starts a second replica (port PORT+1) joined with the first through embedded Hazelcast
# members (AURA_CLUSTER_MEMBERS on ports 5801/5802) and connects the receivers to it, so every
# message crosses replicas; the replicas need a shared PostgreSQL: AURA_DB_URL (and AURA_DB_USER,
# AURA_DB_SCHEMA) must be set, e.g. AURA_DB_URL=jdbc:postgresql://127.0.0.1:5432/test AURA_DB_USER=postgres
# AURA_DB_SCHEMA=aura_bus CLUSTER=1 bench/bus-load.sh. The CPU figures are the first replica's.
# Prints messages/s relayed (counted at the receivers) and end-to-end latency percentiles (send
# timestamp in the payload -> receive); the server's log stays in the printed work directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-18081}"
PAIRS="${PAIRS:-1}"
WINDOW="${WINDOW:-128}"
WARMUP="${WARMUP:-5}"
DUR="${DUR:-20}"
BREAKER="${BREAKER:-0}"
PIN="${PIN:-0}"   # 1: server on CPU 0, client on CPU 1 (taskset), so they stop competing for cores
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR="$ROOT/aura-bench/target/aura-benchmarks.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/aura-bench/src" "$ROOT/aura-server/src/main" -newer "$JAR" -print -quit)" ] \
   || [ -n "$(find "$ROOT/aura-client/src/main" -newer "$JAR" -print -quit)" ]; then
  echo "bus-load: building aura-bench ..." >&2
  (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" ./mvnw -q -B -DskipTests -pl aura-bench -am install >&2)
fi
WORK="$(mktemp -d)"
AURA_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
export AURA_JWT_SECRET
export AURA_LOG_LEVEL=WARN
[ "${CLUSTER:-0}" = 1 ] && export AURA_CLUSTER_PORT=5801

CLUSTER="${CLUSTER:-0}"
if [ "$CLUSTER" = 1 ]; then
  [ -n "${AURA_DB_URL:-}" ] || { echo "bus-load: CLUSTER=1 needs a shared database: set AURA_DB_URL (PostgreSQL)" >&2; exit 2; }
  export AURA_CLUSTER_MEMBERS="127.0.0.1:5801,127.0.0.1:5802" AURA_CLUSTER_HOST=127.0.0.1 AURA_CLUSTER_NAME="bus-load-$$"
fi
SPIN=(); CPIN=()
[ "$PIN" = 1 ] && { SPIN=(taskset -c 0); CPIN=(taskset -c 1); }
"${SPIN[@]}" "$ROOT/aura" serve --port "$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER=$!
SERVER2=""
if [ "$CLUSTER" = 1 ]; then
  AURA_CLUSTER_PORT=5802 "${SPIN[@]}" "$ROOT/aura" serve --port "$((PORT + 1))" --data-dir "$WORK/data2" >"$WORK/server2.log" 2>&1 &
  SERVER2=$!
fi
# the embedded database grows by ~1 GB per minute of predict load: it goes when the script ends
# (KEEP_DATA=1 keeps it); the server's log and the request bodies stay in the work directory
trap 'kill $SERVER $SERVER2 2>/dev/null || true; wait $SERVER $SERVER2 2>/dev/null || true; [ -n "${KEEP_DATA:-}" ] || rm -rf "$WORK/data" "$WORK/data2"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { echo "bus-load: server did not start; see $WORK/server.log" >&2; exit 1; }
  sleep 0.5
done
AURA_BENCH_TOKEN="$(env -u AURA_JAVA_OPTS "$ROOT/aura" token --subject bench --scopes enrol,intervene --ttl 3600)"
export AURA_BENCH_TOKEN
extra=()
[ "$BREAKER" = 1 ] && extra+=(--unrelated-breaker)
if [ "$CLUSTER" = 1 ]; then
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$((PORT + 1))/health" 2>/dev/null | grep -q '"members":2' && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$((PORT + 1))/health" | grep -q '"members":2' || { echo "bus-load: the replicas did not join; see $WORK/server*.log" >&2; exit 1; }
  extra+=(--receiver-url "http://127.0.0.1:$((PORT + 1))")
fi

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), git $(git -C "$ROOT" rev-parse --short HEAD)"
if [ "${CLIENT:-0}" = 1 ]; then # the same load through the Java client (aura-client) instead of raw WebSockets
  echo "# PIN=$PIN ClientLoad --pairs $PAIRS --window $WINDOW --warmup $WARMUP --duration $DUR; work dir $WORK"
  "${CPIN[@]}" "$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$JAR" io.aura.bench.ClientLoad --url "http://127.0.0.1:$PORT" \
    --pairs "$PAIRS" --window "$WINDOW" --warmup "$WARMUP" --duration "$DUR" --server-pid "$SERVER"
  exit 0
fi
echo "# PIN=$PIN BusLoad --pairs $PAIRS --window $WINDOW --warmup $WARMUP --duration $DUR ${extra[*]:-}; work dir $WORK"
"${CPIN[@]}" "$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$JAR" io.aura.bench.BusLoad --url "http://127.0.0.1:$PORT" \
  --pairs "$PAIRS" --window "$WINDOW" --warmup "$WARMUP" --duration "$DUR" --server-pid "$SERVER" "${extra[@]}"
