#!/bin/sh
# Where the wall time of a `glidn bench` step goes (tools/speed/where_time_goes.py says how):
#   tools/speed/where_time_goes.sh [WORKLOAD] [STEPS]
# records both threads with perf (Debian's linux-perf), then splits the samples into matrix
# products, attention passes, waiting, memory and the rest, and lists what the main thread
# does while the helper waits. Needs perf allowed to sample (root, or perf_event_paranoid ≤ 1).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${GLIDN:-$ROOT/.build/release/glidn}
W=${1:-cad120}; STEPS=${2:-1500}
command -v perf >/dev/null || { echo "perf is not installed (make bench-deps, or apt-get install linux-perf)"; exit 2; }
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
MS=$("$BIN" bench --workload "$W" --steps 100 --json | tail -1 | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["ms_per_step_median"], 3))')
perf record -q -F 20000 -g -o "$OUT/perf.data" "$BIN" bench --workload "$W" --steps "$STEPS" > /dev/null 2>&1
perf script -i "$OUT/perf.data" -F tid,time,ip,sym,dso 2>/dev/null > "$OUT/samples.txt"
echo "$W: median $MS ms per step (a separate run of 100 steps)"
python3 "$ROOT/tools/speed/where_time_goes.py" "$OUT/samples.txt" --ms-per-step "$MS"
