#!/bin/sh
# How much of the past the online student remembers (docs/STUDIES.md, "A longer memory for the
# online student"): CAD-120 leave-one-subject-out over subjects 1, 3, 4 and seeds 0, 1, the
# online recipe's model with 1, 3, 5 and 7 causal global layers, 128 hidden units, one local
# layer, and variations around five; anticipation and offline detection with 5 global layers beside their recipes.
#
#   tools/studies/online_memory_study.sh OUT_DIR
#   tools/studies/summarize.py OUT_DIR/results.jsonl --paired --against online-glidn
#
# Every run's test scores go to OUT_DIR/results.jsonl (tools/studies/cad120_loso.sh).
set -e
cd "$(dirname "$0")/../.."
OUT=${1:?output folder}
BASE="--hidden 64 --heads 8 --dropout 0.3 --epochs 400 --batch-size 4 --lr 3e-3"
STUDENT="--variant glidn --distill global-to-local $BASE"
tools/studies/cad120_loso.sh "$OUT" \
  "online-glidn: --task online $STUDENT --global-layers 3" \
  "online-glidn-g1: --task online $STUDENT --global-layers 1" \
  "online-glidn-g5: --task online $STUDENT --global-layers 5" \
  "online-glidn-g7: --task online $STUDENT --global-layers 7" \
  "online-glidn-h128: --task online $STUDENT --global-layers 3 --hidden 128" \
  "online-glidn-g5-local1: --task online $STUDENT --global-layers 5 --local-layers 1" \
  "online-glidn-g7-local1: --task online $STUDENT --global-layers 7 --local-layers 1" \
  "online-glidn-g5-local1-h96: --task online $STUDENT --global-layers 5 --local-layers 1 --hidden 96" \
  "online-glidn-g5-local1-d0.2: --task online $STUDENT --global-layers 5 --local-layers 1 --dropout 0.2" \
  "anticipation-glidn: --task anticipation $STUDENT --global-layers 3" \
  "anticipation-glidn-g5: --task anticipation $STUDENT --global-layers 5" \
  "detection-g3: --task detection --variant global $BASE --global-layers 3" \
  "detection-g5: --task detection --variant global $BASE --global-layers 5"
