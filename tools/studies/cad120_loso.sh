#!/bin/sh
# Leave-one-subject-out study on CAD-120 ground truth (`cad120-gt`).
#
#   tools/studies/cad120_loso.sh OUT_DIR "NAME: glidn train options" ["NAME: options" …]
#
# For every configuration, every fold (subjects of the file, FOLDS, default "1 3 4") and every
# seed (SEEDS, default "0 1"), trains on the other subjects (the checkpoint chosen on held-out
# videos of those subjects), evaluates the best checkpoint on the held-out subject and appends
# one JSON line per run to OUT_DIR/results.jsonl. Two runs go at a time, one thread each
# (JOBS, default 2). Summarise with tools/studies/summarize.py OUT_DIR/results.jsonl.
# DATA defaults to ../shared/data/cad120/CAD120_GT_all_subjects_training_new_wo_having_meal.pkl;
# GLIDN to .build/release/glidn (run `make build` first). In the options, @FOLD@ and @SEED@ stand
# for the run's fold and seed (e.g. a teacher checkpoint per fold: tools/studies/teacher_study.sh).
set -e
cd "$(dirname "$0")/../.."
OUT=${1:?output folder}; shift
DATA=${DATA:-../shared/data/cad120/CAD120_GT_all_subjects_training_new_wo_having_meal.pkl}
GLIDN=${GLIDN:-.build/release/glidn}
FOLDS=${FOLDS:-1 3 4}; SEEDS=${SEEDS:-0 1}; JOBS=${JOBS:-2}
mkdir -p "$OUT"
run_one() {  # name fold seed options…
  name=$1; fold=$2; seed=$3; shift 3
  dir="$OUT/runs/$name-fold$fold-seed$seed"
  if [ -f "$dir/result.json" ]; then return; fi   # finished before: keep it
  rm -rf "$dir"; mkdir -p "$dir"
  task=detection; frames=""
  for a in "$@"; do
    [ "$prev" = "--task" ] && task=$a
    [ "$prev" = "--frames" ] && frames="--frames $a"
    prev=$a
  done
  start=$(date +%s.%N)
  GLIDN_THREADS=1 "$GLIDN" train --dataset cad120-gt --data "$DATA" --fold "$fold" --seed "$seed" --output "$dir/run" "$@" \
    > "$dir/train.log" 2>&1
  end=$(date +%s.%N)
  epochs=$(wc -l < "$dir/run/metrics.jsonl")
  GLIDN_THREADS=1 "$GLIDN" evaluate --checkpoint "$dir/run/best.safetensors" --dataset cad120-gt --data "$DATA" --fold "$fold" \
    --task "$task" $frames --json > "$dir/eval.json" 2> "$dir/eval.log"
  python3 - "$name" "$fold" "$seed" "$task" "$start" "$end" "$epochs" "$dir/eval.json" "$*" > "$dir/result.json" <<'PY'
import json, sys
name, fold, seed, task, start, end, epochs, path, options = sys.argv[1:]
metrics = json.loads(open(path).read().strip().splitlines()[-1])
seconds = float(end) - float(start)
print(json.dumps({"name": name, "fold": int(fold), "seed": int(seed), "task": task, "options": options,
                  "seconds": seconds, "seconds_per_epoch": seconds / max(int(epochs), 1), "test": metrics}))
PY
  cat "$dir/result.json" >> "$OUT/results.jsonl"
}
jobs=0
for spec in "$@"; do
  name=${spec%%:*}; options=${spec#*:}
  for fold in $FOLDS; do
    for seed in $SEEDS; do
      resolved=$(printf '%s' "$options" | sed -e "s/@FOLD@/$fold/g" -e "s/@SEED@/$seed/g")
      # shellcheck disable=SC2086
      run_one "$name" "$fold" "$seed" $resolved &
      jobs=$((jobs + 1))
      if [ "$jobs" -ge "$JOBS" ]; then wait; jobs=0; fi
    done
  done
done
wait
