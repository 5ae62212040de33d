#!/bin/sh
# Alternating speed comparison of two glidn binaries on the same machine:
#   tools/speed/ab_bench.sh OLD_BINARY NEW_BINARY
# runs `glidn bench --workload W --json` ROUNDS times per workload (default 5), old and new
# in turn with a pause between runs, and prints each run's median ms/step (STAT=min: its fastest
# step instead) and the medians of those.
set -e
A=${1:?old binary}; B=${2:?new binary}
ROUNDS=${ROUNDS:-5}; PAUSE=${PAUSE:-2}; STEPS=${STEPS:-50}
for w in ${WORKLOADS:-cad120 charades}; do
  for bin in "$A" "$B"; do : > "/tmp/ab_bench_$(basename "$bin")_$w"; done
  for r in $(seq "$ROUNDS"); do
    for bin in "$A" "$B"; do
      sleep "$PAUSE"
      "$bin" bench --workload "$w" --steps "$STEPS" --json | tail -1 |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["ms_per_step_" + sys.argv[1]])' "${STAT:-median}" >> "/tmp/ab_bench_$(basename "$bin")_$w"
    done
  done
  for bin in "$A" "$B"; do
    python3 - "$w" "$bin" "/tmp/ab_bench_$(basename "$bin")_$w" <<'PY'
import statistics, sys
w, name, path = sys.argv[1:]
v = [float(x) for x in open(path)]
print(f"{w:9} {name:40} median {statistics.median(v):7.2f} ms/step  rounds: " + ", ".join(f"{x:.2f}" for x in v))
PY
  done
done
