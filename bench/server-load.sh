#!/usr/bin/env bash
# HTTP load test of `aura serve` from a second process on loopback (wrk, Debian package `wrk`):
# a trivial endpoint (GET /health/live) beside the seed's load-test payloads, same server, same run:
# predict (100 agent ids and a 50 x 10 point cloud, the seed form) and analyze (a 100 x 10 point
# cloud, "persistent_homology", default parameters).
#
#   bench/server-load.sh            # 50 connections, 20 s per endpoint
#   CONN=16 DUR=30s bench/server-load.sh
#
# The analyze cache is off (TDA_CACHE_SIZE=0) so every request computes its persistent homology
# (predict's too); the point clouds are the seed's random.random() shape, drawn once with a fixed
# seed. Also measured: predict's live form (the same 100 agent ids, no topology: the answer comes
# from the prediction loop's view of the bus, no persistent homology). ONLY=predict, live or
# analyze measures just that one beside /health/live. Every predict request stores a signature
# and a prediction in the embedded H2. Results go to stdout; the server's log stays in the printed
# work directory. SERVER_JAVA_OPTS is given to the server's JVM only (as AURA_JAVA_OPTS), e.g. a
# JFR recording: SERVER_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/s.jfr,settings=profile".
# With AURA_NEO4J_URI set, the server also writes its knowledge graph, and the script reports how
# long the graph takes to hold every stored prediction after the load.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-18080}"
CONN="${CONN:-50}"
DUR="${DUR:-20s}"
THREADS="${THREADS:-2}"
command -v wrk >/dev/null || { echo "server-load: wrk not found (apt-get install wrk)" >&2; exit 2; }
WORK="$(mktemp -d)"
AURA_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
export AURA_JWT_SECRET
export TDA_CACHE_SIZE="${TDA_CACHE_SIZE:-0}" AURA_LOG_LEVEL=WARN

AURA_JAVA_OPTS="${SERVER_JAVA_OPTS:-${AURA_JAVA_OPTS:-}}" "$ROOT/aura" serve --port "$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER=$!
# the embedded database grows by ~1 GB per minute of predict load: it goes when the script ends
# (KEEP_DATA=1 keeps it); the server's log and the request bodies stay in the work directory
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; [ -n "${KEEP_DATA:-}" ] || rm -rf "$WORK/data"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { echo "server-load: server did not start; see $WORK/server.log" >&2; exit 1; }
  sleep 0.5
done
TOKEN="$("$ROOT/aura" token --subject bench --scopes analyze,read --ttl 3600)"
ONLY="${ONLY:-}"

python3 - "$WORK/analyze.json" "$WORK/predict.json" "$WORK/live.json" <<'EOF'
import json, random, sys
rnd = random.Random(20261126)
body = {"topology_data": [[rnd.random() for _ in range(10)] for _ in range(100)],
        "algorithm": "persistent_homology"}
open(sys.argv[1], "w").write(json.dumps(body))
# the seed's locust predict_cascade task
body = {"agents": [f"agent_{i}" for i in range(100)],
        "topology": [[rnd.random() for _ in range(10)] for _ in range(50)]}
open(sys.argv[2], "w").write(json.dumps(body))
open(sys.argv[3], "w").write(json.dumps({"agents": body["agents"]}))
EOF
for name in analyze predict live; do
  cat >"$WORK/$name.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$WORK/$name.json", "r")
wrk.body = f:read("*a")
f:close()
EOF
  code="$(curl -s -o "$WORK/one.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' --data-binary @"$WORK/$name.json" "http://127.0.0.1:$PORT/api/v1/${name/live/predict}")"
  [ "$code" = 200 ] || { echo "server-load: $name answered $code: $(head -c 300 "$WORK/one.json")" >&2; exit 1; }
done

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), git $(git -C "$ROOT" rev-parse --short HEAD)"
echo "# wrk -t$THREADS -c$CONN -d$DUR --latency; work dir $WORK"
# server CPU (user + system) per request over one wrk run: robust to other jobs sharing the cores
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
# per thread name (digits folded, so "ForkJoinPool-1-worker-2" counts with its pool): name ticks
thread_ticks() {
  for f in /proc/"$SERVER"/task/*/stat; do cat "$f" 2>/dev/null; done |
    sed -E 's/^[0-9]+ \((.*)\) [A-Z] /\1\t/' |
    awk -F'\t' '{ n = $1; gsub(/[0-9]+/, "#", n); split($2, f, " "); t[n] += f[11] + f[12] }
      END { for (n in t) print n "\t" t[n] }'
}
# "count sum" of aura_prediction_commit_rows (empty before the first prediction is stored)
commit_rows() {
  curl -fs "http://127.0.0.1:$PORT/metrics" | awk '/^aura_prediction_commit_rows_(count|sum)/ {printf "%s ", $2}'
}
measure() {
  local before after out tb mb
  before="$(cpu_ticks)"
  tb="$(thread_ticks)"
  mb="$(commit_rows)"
  out="$(wrk -t"$THREADS" -c"$CONN" -d"$DUR" --latency "$@")"
  after="$(cpu_ticks)"
  echo "$out"
  echo "$out" | awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" \
    '/requests in/ { printf "server CPU per request: %.3f ms\n", t * 1000 / hz / $1 }'
  local commits
  commits="$(commit_rows)"
  if [ -n "$commits" ] && [ -n "$mb" ]; then
    echo "$mb $commits" | awk '{ c = $3 - $1; if (c > 0) printf "predictions per commit: %.1f (%d commits)\n", ($4 - $2) / c, c }'
  fi
  if [ -n "${THREAD_CPU:-}" ]; then # THREAD_CPU=1: the same, split by server thread name
    local n
    n="$(echo "$out" | awk '/requests in/ {print $1}')"
    join -t"$(printf '\t')" -a2 -e0 -o 0,1.2,2.2 <(echo "$tb" | sort) <(thread_ticks | sort) |
      awk -F'\t' -v n="$n" -v hz="$(getconf CLK_TCK)" '$3 - $2 > 0 {
        printf "%.4f\t%s\n", ($3 - $2) * 1000 / hz / n, $1 }' | sort -rn |
      awk -F'\t' '{ printf "  thread %-28s %s ms per request\n", $2, $1 }'
  fi
}
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## warm-up (10 s each, not reported)"
wrk -t"$THREADS" -c"$CONN" -d10s "http://127.0.0.1:$PORT/health/live" >/dev/null
for name in predict live analyze; do
  [ -n "$ONLY" ] && [ "$ONLY" != "$name" ] && continue
  wrk -t"$THREADS" -c"$CONN" -d10s -s "$WORK/$name.lua" -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/v1/${name/live/predict}" >/dev/null
done
echo "## GET /health/live"
measure "http://127.0.0.1:$PORT/health/live"
if [ -z "$ONLY" ] || [ "$ONLY" = predict ]; then
  echo "## POST /api/v1/predict (seed load-test payload: 100 agents, 50 x 10 topology)"
  measure -s "$WORK/predict.lua" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/predict"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = live ]; then
  echo "## POST /api/v1/predict, live form (the same 100 agent ids, no topology)"
  measure -s "$WORK/live.lua" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/predict"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = analyze ]; then
  echo "## POST /api/v1/analyze (seed payload, 100 x 10 point cloud)"
  measure -s "$WORK/analyze.lua" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/analyze"
fi
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# With AURA_NEO4J_URI (docs/configuration.md, "Knowledge graph in Neo4j"): how long the exporter takes,
# after the load, to have every stored prediction in the graph (at most GRAPH_WAIT seconds, default 600)
if [ -n "${AURA_NEO4J_URI:-${NEO4J_URI:-}}" ]; then
  metric() { curl -fs "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" 'index($0, m) == 1 {print $2}'; }
  stored() { metric 'aura_prediction_commit_rows_sum' | cut -d. -f1; }
  exported() { metric 'aura_neo4j_exported_total{kind="prediction"}' | cut -d. -f1; }
  start=$(date +%s.%N); want="$(stored)"; e0="$(exported)"
  echo "## knowledge graph: ${e0:-0} of ${want:-0} stored predictions exported when the load ended"
  while [ "$(exported)" -lt "${want:-0}" ]; do
    if [ "$(echo "$(date +%s.%N) - $start > ${GRAPH_WAIT:-600}" | bc)" = 1 ]; then echo "knowledge graph: not caught up within ${GRAPH_WAIT:-600} s"; break; fi
    sleep 1
  done
  now=$(date +%s.%N); e1="$(exported)"
  echo "knowledge graph: $e1 exported, $(echo "($now - $start)" | bc -l | xargs printf '%.1f') s after the load;" \
    "$(echo "($e1 - ${e0:-0}) / ($now - $start)" | bc -l | xargs printf '%.0f') predictions/s while catching up;" \
    "failures $(metric aura_neo4j_failures_total), overflow $(metric aura_neo4j_overflow_total)"
fi
