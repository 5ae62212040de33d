#!/bin/sh
# The README's CAD-120 study: every variant and distillation scheme, detection and
# anticipation, leave-one-subject-out over subjects 1, 3, 4 of the ground-truth file, seeds 0
# and 1, all with the same training (the detection recipe's: 400 epochs, batch 4, lr 0.003,
# hidden 64, 8 heads, 3 global layers, dropout 0.3; λ_kd 0.5, λ_feat 0.1 unless stated).
#
#   tools/studies/cad120_study.sh [OUT_DIR]      (default runs/cad120-study; about an hour on 2 cores)
#   python3 tools/studies/summarize.py OUT_DIR/results.jsonl
#
# A finished run is kept, so the script can be stopped and started again.
set -e
cd "$(dirname "$0")/../.."
OUT=${1:-runs/cad120-study}
BASE="--epochs 400 --batch-size 4 --lr 0.003 --hidden 64 --heads 8 --global-layers 3 --dropout 0.3"
set --
for task in detection anticipation; do
  for v in pooled local global; do set -- "$@" "$task $v: --task $task --variant $v $BASE"; done
  for d in none mutual global-to-local local-to-global; do set -- "$@" "$task glidn $d: --task $task --variant glidn --distill $d $BASE"; done
done
# The distillation study's other schemes (README, "Distillation, as measured"): detection only.
for d in ensemble gated projected relational; do set -- "$@" "detection glidn $d: --task detection --variant glidn --distill $d $BASE"; done
set -- "$@" "detection glidn global-to-local kd0.1 feat0.02: --task detection --variant glidn --distill global-to-local --lambda-kd 0.1 --lambda-feat 0.02 $BASE"
exec tools/studies/cad120_loso.sh "$OUT" "$@"
