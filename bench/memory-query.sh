#!/usr/bin/env bash
# Cost of the topological memory (`"enable_memory": true` in a seed-form POST /api/v1/predict,
# docs/api.md): starts `aura serve` on an empty embedded H2, stores N signatures through seed-form
# predicts of random 50 x 10 clouds (the seed's load-test shape), then times seed-form predicts of
# fresh random clouds with the memory on and off, alternating, ROUNDS rounds of REQS each. Reports
# the p50 and p90 of the answers' timing_ms.total (server time before storing), and what the memory
# searched and compared. The first round warms the JIT and the landscape cache and is not reported.
#
#   bench/memory-query.sh                    # N=1000, ROUNDS=4, REQS=40
#   N=200 bench/memory-query.sh
#   SERVER_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/m.jfr,settings=profile" bench/memory-query.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-18081}"
N="${N:-1000}"
ROUNDS="${ROUNDS:-4}"
REQS="${REQS:-40}"
WORK="$(mktemp -d)"
AURA_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
export AURA_JWT_SECRET AURA_LOG_LEVEL=WARN
AURA_JAVA_OPTS="${SERVER_JAVA_OPTS:-${AURA_JAVA_OPTS:-}}" "$ROOT/aura" serve --port "$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK/data"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { echo "memory-query: server did not start; see $WORK/server.log" >&2; exit 1; }
  sleep 0.5
done
TOKEN="$(AURA_JAVA_OPTS= "$ROOT/aura" token --subject bench --scopes analyze --ttl 3600)"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), git $(git -C "$ROOT" rev-parse --short HEAD)"
python3 - "$PORT" "$TOKEN" "$N" "$ROUNDS" "$REQS" <<'EOF'
import json, random, sys, time, urllib.request
port, token, n, rounds, reqs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rnd = random.Random(20261128)
agents = [f"agent_{i}" for i in range(100)]
def post(body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/predict", data=json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())
def cloud():
    return [[rnd.random() for _ in range(10)] for _ in range(50)]
t = time.time()
for _ in range(n):
    post({"agents": agents, "topology": cloud()})
print(f"stored {n} signatures (seed-form predicts of 50 x 10 clouds) in {time.time() - t:.1f} s")
def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))]
for r in range(rounds + 1):
    for mem in (False, True):
        tot, searched, compared = [], [], []
        for _ in range(reqs):
            a = post({"agents": agents, "topology": cloud(), "enable_memory": mem})
            tot.append(a["timing_ms"]["total"])
            if mem:
                searched.append(a["memory"]["searched"])
                compared.append(a["memory"]["compared"])
        if r == 0:
            continue
        extra = f"; searched {min(searched)}-{max(searched)}, compared {min(compared)}-{max(compared)}" if mem else ""
        print(f"round {r} enable_memory={str(mem).lower():5}: timing_ms.total p50 {pct(tot, 0.5):.2f} ms, p90 {pct(tot, 0.9):.2f} ms{extra}")
EOF
