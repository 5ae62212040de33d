#!/bin/sh
# Offline → online distillation on the synthetic benchmark (docs/STUDIES.md, "Taught by the whole
# video"): online students answer from prefixes of each clip (25, 50, 75, 100 % of its frames,
# `--task online`), scored by prefix mAP against the whole clip's actions.
#
#   tools/studies/synthetic_teacher_study.sh OUT_DIR
#
# For each data seed (DATA_SEEDS, default "0 1") and training seed (SEEDS, default "0 1 2"): the
# offline teacher (the video task on whole clips), then the online student alone and taught through
# each scheme (CONFIGS, default "none logits states relations"). EPOCHS (default 20) for every
# run; two runs at a time, one thread each. One JSON line per run in OUT_DIR/results.jsonl
# (its test metrics); summarise with tools/studies/summarize.py OUT_DIR/results.jsonl --paired
# --keys mAP_at_25,mAP_at_50,mAP_at_75,mAP_at_100. TEACHER_FOLDS=K instead trains, in each
# student's run, K cross-fitted teachers (--teacher auto --teacher-folds K) and names the rows
# online-SCHEME-crossfitK.
set -e
cd "$(dirname "$0")/../.."
OUT=${1:?output folder}
GLIDN=${GLIDN:-.build/release/glidn}
EPOCHS=${EPOCHS:-20}
mkdir -p "$OUT"
run() {  # name data_seed seed options…
  name=$1; d=$2; seed=$3; shift 3
  dir="$OUT/runs/$name-d$d-s$seed"
  if [ -f "$dir/result.json" ]; then return; fi
  rm -rf "$dir"; mkdir -p "$dir"
  start=$(date +%s.%N)
  GLIDN_THREADS=1 "$GLIDN" train --dataset synthetic --data-seed "$d" --seed "$seed" --epochs "$EPOCHS" \
    --output "$dir/run" "$@" > "$dir/train.log" 2>&1
  end=$(date +%s.%N)
  GLIDN_THREADS=1 "$GLIDN" evaluate --checkpoint "$dir/run/best.safetensors" --split test --json > "$dir/eval.json" 2> "$dir/eval.log"
  python3 - "$name" "$d" "$seed" "$start" "$end" "$dir/eval.json" "$*" > "$dir/result.json" <<'PY'
import json, sys
name, d, seed, start, end, path, options = sys.argv[1:]
metrics = json.loads(open(path).read().strip().splitlines()[-1])
print(json.dumps({"name": name, "fold": int(d), "seed": int(seed), "options": options,
                  "seconds": float(end) - float(start), "seconds_per_epoch": 0, "test": metrics}))
PY
  cat "$dir/result.json" >> "$OUT/results.jsonl"
}
for d in ${DATA_SEEDS:-0 1}; do
  for seed in ${SEEDS:-0 1 2}; do
    run teacher "$d" "$seed" &
  done
  wait
done
jobs=0
for scheme in ${CONFIGS:-none logits states relations}; do
  for d in ${DATA_SEEDS:-0 1}; do
    for seed in ${SEEDS:-0 1 2}; do
      if [ "$scheme" = none ]; then
        run online-none "$d" "$seed" --task online &
      elif [ -n "${TEACHER_FOLDS:-}" ]; then
        run "online-$scheme-crossfit$TEACHER_FOLDS" "$d" "$seed" --task online --teacher auto \
          --teacher-folds "$TEACHER_FOLDS" --teacher-distill "$scheme" ${EXTRA:-} &
      else
        run "online-$scheme${SUFFIX:-}" "$d" "$seed" --task online \
          --teacher "$OUT/runs/teacher-d$d-s$seed/run/best.safetensors" --teacher-distill "$scheme" ${EXTRA:-} &
      fi
      jobs=$((jobs + 1))
      if [ "$jobs" -ge "${JOBS:-2}" ]; then wait; jobs=0; fi
    done
  done
done
wait
