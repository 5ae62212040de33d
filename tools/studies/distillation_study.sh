#!/bin/sh
# The README's distillation study on the synthetic benchmark: every distillation scheme
# (with and without a schedule, and with the fusion chosen on validation data) against
# `none`, three seeds each (seed s: data seed DATA_SEED + s, training seed s).
#
#   tools/studies/distillation_study.sh [OUT_DIR] ["NAME: glidn demo options" …]
#   DATA_SEED=100 tools/studies/distillation_study.sh runs/distillation-data100
#   python3 tools/studies/summarize_demo.py OUT_DIR
#
# Without configurations it runs the standard list below. Each configuration is one
# `glidn demo` (default options otherwise) in OUT_DIR/NAME; a finished one is kept.
set -e
cd "$(dirname "$0")/../.."
OUT=${1:-runs/distillation-study}
[ $# -gt 0 ] && shift
GLIDN=${GLIDN:-.build/release/glidn}
SEEDS=${SEEDS:-0,1,2}; DATA_SEED=${DATA_SEED:-0}
if [ $# -eq 0 ]; then
  set -- \
    "none: --runs glidn:none" \
    "mutual: --runs glidn:mutual" \
    "global-to-local: --runs glidn:global-to-local" \
    "local-to-global: --runs glidn:local-to-global" \
    "ensemble: --runs glidn:ensemble" \
    "gated: --runs glidn:gated" \
    "projected: --runs glidn:projected" \
    "relational: --runs glidn:relational" \
    "mutual scheduled: --runs glidn:mutual --distill-warmup 10 --distill-ramp 10" \
    "global-to-local scheduled: --runs glidn:global-to-local --distill-warmup 10 --distill-ramp 10" \
    "none, fusion on validation: --runs glidn:none --fusion validation" \
    "global-to-local, fusion on validation: --runs glidn:global-to-local --fusion validation" \
    "none, global branch alone: --runs glidn:none --fusion global" \
    "global-to-local, global branch alone: --runs glidn:global-to-local --fusion global" \
    "gated, lambda-kd 0.1: --runs glidn:gated --lambda-kd 0.1" \
    "global-to-local, lambda-kd 0.1, lambda-feat 0.02: --runs glidn:global-to-local --lambda-kd 0.1 --lambda-feat 0.02" \
    "local-to-global features only: --runs glidn:local-to-global --lambda-kd 0" \
    "projected up, no logits: --runs glidn:projected --distill-parameter direction=1 --lambda-kd 0" \
    "projected up, lambda-feat 0.5, no logits: --runs glidn:projected --distill-parameter direction=1 --lambda-kd 0 --lambda-feat 0.5"
fi
mkdir -p "$OUT"
for spec in "$@"; do
  name=${spec%%:*}; options=${spec#*:}
  dir="$OUT/$(echo "$name" | tr ' ,' '__')"
  [ -f "$dir/results.json" ] && continue
  # shellcheck disable=SC2086
  "$GLIDN" demo --output "$dir" --overwrite --seeds "$SEEDS" --data-seed "$DATA_SEED" $options > "$dir.log" 2>&1
  echo "$name" > "$dir/name.txt"
  echo "$options" > "$dir/options.txt"
done
