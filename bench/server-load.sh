#!/usr/bin/env bash
# HTTP load test of `aura serve` from a second process on loopback (wrk, Debian package `wrk`):
# a trivial endpoint (GET /health/live) beside the seed's load-test analyze payload (a 100 x 10
# point cloud, "persistent_homology", default parameters), same server, same run.
#
#   bench/server-load.sh            # 50 connections, 20 s per endpoint
#   CONN=16 DUR=30s bench/server-load.sh
#
# The analyze cache is off (TDA_CACHE_SIZE=0) so every request computes; the point cloud is the
# seed's random.random() shape, drawn once with a fixed seed. Results go to stdout; the server's
# log stays in the printed work directory.
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
export TDA_CACHE_SIZE=0 AURA_LOG_LEVEL=WARN

"$ROOT/aura" serve --port "$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { echo "server-load: server did not start; see $WORK/server.log" >&2; exit 1; }
  sleep 0.5
done
TOKEN="$("$ROOT/aura" token --subject bench --scopes analyze,read --ttl 3600)"

python3 - "$WORK/analyze.json" <<'EOF'
import json, random, sys
rnd = random.Random(20261126)
body = {"topology_data": [[rnd.random() for _ in range(10)] for _ in range(100)],
        "algorithm": "persistent_homology"}
open(sys.argv[1], "w").write(json.dumps(body))
EOF
cat >"$WORK/analyze.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$WORK/analyze.json", "r")
wrk.body = f:read("*a")
f:close()
EOF
code="$(curl -s -o "$WORK/one.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' --data-binary @"$WORK/analyze.json" "http://127.0.0.1:$PORT/api/v1/analyze")"
[ "$code" = 200 ] || { echo "server-load: analyze answered $code: $(head -c 300 "$WORK/one.json")" >&2; exit 1; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), git $(git -C "$ROOT" rev-parse --short HEAD)"
echo "# wrk -t$THREADS -c$CONN -d$DUR --latency; work dir $WORK"
echo "## warm-up (10 s each, not reported)"
wrk -t"$THREADS" -c"$CONN" -d10s "http://127.0.0.1:$PORT/health/live" >/dev/null
wrk -t"$THREADS" -c"$CONN" -d10s -s "$WORK/analyze.lua" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$PORT/api/v1/analyze" >/dev/null
echo "## GET /health/live"
wrk -t"$THREADS" -c"$CONN" -d"$DUR" --latency "http://127.0.0.1:$PORT/health/live"
echo "## POST /api/v1/analyze (seed payload, 100 x 10 point cloud)"
wrk -t"$THREADS" -c"$CONN" -d"$DUR" --latency -s "$WORK/analyze.lua" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$PORT/api/v1/analyze"
