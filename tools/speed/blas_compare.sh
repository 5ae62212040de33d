#!/bin/sh
# Every BLAS library installed here, side by side with PyTorch in one run: `glidn bench` of
# each workload under each library (GLIDN_BLAS), alternating with PyTorch, ROUNDS times.
# OpenBLAS also runs with its kernel family forced to Haswell and SkylakeX, as on processors
# it knows (OPENBLAS_CORETYPE, set for those measurements only; the product never sets it).
# Prints a table of medians. Needs `make build` and `make bench-deps`.
set -e
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
PAUSE=${PAUSE:-3}
GLIDN=${GLIDN:-.build/release/glidn}
SCIPY=$(python3 -c 'import scipy_openblas32 as s, os; print(os.path.join(s.get_lib_dir(), "libscipy_openblas.so"))' 2>/dev/null || true)
OUT=$(mktemp)
configs="onednn openblas openblas:Haswell openblas:SkylakeX blis"
[ -n "$SCIPY" ] && [ -f "$SCIPY" ] && configs="$configs scipy-openblas"
for workload in ${WORKLOADS:-cad120 charades}; do
  for round in $(seq "$ROUNDS"); do
    for config in $configs; do
      blas=${config%%:*}; core=""
      case "$config" in *:*) core=${config#*:} ;; esac
      [ "$blas" = scipy-openblas ] && blas=$SCIPY
      sleep "$PAUSE"
      if [ -n "$core" ]; then
        OPENBLAS_CORETYPE=$core GLIDN_BLAS=$blas "$GLIDN" bench --workload "$workload" --json | tail -1 | sed "s|^|$config |" >> "$OUT"
      else
        GLIDN_BLAS=$blas "$GLIDN" bench --workload "$workload" --json | tail -1 | sed "s|^|$config |" >> "$OUT"
      fi
    done
    sleep "$PAUSE"
    (cd tools/pytorch && python3 glidn_torch.py bench --workload "$workload") | sed 's/^/pytorch /' >> "$OUT"
  done
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    config, _, payload = line.partition(" ")
    r = json.loads(payload)
    rows.setdefault((r["workload"], config), []).append(r)
print("| workload | BLAS | kernels | ms/step (median of rounds) | matrix-product floor, ms | step / floor | vs PyTorch |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for workload in sorted({w for w, _ in rows}):
    torch = statistics.median(r["ms_per_step_median"] for r in rows[(workload, "pytorch")])
    for (w, config), rs in rows.items():
        if w != workload:
            continue
        step = statistics.median(r["ms_per_step_median"] for r in rs)
        if config == "pytorch":
            print(f"| {workload} | PyTorch {rs[0].get('threads', '')} threads | MKL/oneDNN | {step:.2f} | – | – | 1.00 |")
            continue
        floor = statistics.median(r["gemm_floor_ms"] for r in rs)
        print(f"| {workload} | {config}: {rs[0]['blas']} | {rs[0]['blas_kernels']} | {step:.2f} | {floor:.2f} | {step / floor:.2f} | {step / torch:.2f} |")
PY
rm -f "$OUT"
