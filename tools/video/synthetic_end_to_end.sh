#!/bin/sh
# How much recognition survives the step from true boxes to a detector and a tracker, on the
# synthetic benchmark rendered as videos (README, "From video"; docs/STUDIES.md).
#
#   tools/video/synthetic_end_to_end.sh [OUT]       # default /tmp/glidn-video-study
#
# 1. renders TRAIN training and TEST test clips (data seed SEED) as MP4s with their true boxes;
# 2. extracts every clip three ways, at the render's 12 frames per second: `truth`, the true
#    boxes with their true identities (--boxes); `tracked`, the true boxes without identities,
#    linked by our tracker; `detected`, the committed detector for the renders
#    (tools/video/synthetic_detector.onnx, trained by tools/pytorch/synthetic_detector.py on
#    other renders) and our tracker;
# 3. trains one model on each of `truth` and `detected` per training seed (SEEDS, default the
#    data seed and the two after it; MODEL: more train options);
# 4. evaluates each model on the test clips of every extraction (test mAP);
# 5. scores the detector and the tracker against the truth on the test clips
#    (tools/video/track_metrics.py: recall, precision, IDF1, identity switches; needs
#    `pip install motmetrics scipy`).
# Prints one line per result and writes OUT/results.json. GLIDN defaults to
# .build/release/glidn (`make build`). Steps whose output exists are skipped.
set -e
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/glidn-video-study}
GLIDN=${GLIDN:-.build/release/glidn}
TRAIN=${TRAIN:-2400}; TEST=${TEST:-600}; SEED=${SEED:-0}
SEEDS=${SEEDS:-"$SEED $((SEED + 1)) $((SEED + 2))"}   # training seeds
MODEL=${MODEL:-}; TAG=${TAG:-}   # TAG names the runs of other MODEL options: run-truth$TAG…
DETECTOR=${DETECTOR:-tools/video/synthetic_detector.onnx}
CLASSES=tools/video/synthetic_classes.txt
mkdir -p "$OUT"
R="$OUT/renders"
if [ ! -f "$R/labels.csv" ]; then
  $GLIDN render-synthetic --output "$R" --train-clips "$TRAIN" --validation-clips 0 --test-clips "$TEST" \
    --data-seed "$SEED"
fi
if [ ! -d "$OUT/untracked" ]; then   # the true boxes with every id -1: for the tracker to link
  mkdir -p "$OUT/untracked.partial"
  for f in "$R"/*.csv; do
    case $f in */labels.csv) continue ;; esac
    awk -F, 'BEGIN { OFS = "," } { $2 = -1; print }' "$f" > "$OUT/untracked.partial/$(basename "$f")"
  done
  mv "$OUT/untracked.partial" "$OUT/untracked"
fi
extract() {  # name, extract options…
  name=$1; shift
  if [ ! -f "$OUT/$name.time" ]; then
    /usr/bin/time -f "%e s, %M KB" -o "$OUT/$name.time.partial" \
      $GLIDN extract --output "$OUT/$name" --fps 12 "$@" "$R"/*.mp4 > "$OUT/$name.log"
    mv "$OUT/$name.time.partial" "$OUT/$name.time"
  fi
  echo "extract $name: $(tail -1 "$OUT/$name.log") ($(cat "$OUT/$name.time"))"
  cp "$R/labels.csv" "$R/actions.txt" "$OUT/$name/"
}
extract truth --boxes "$R" --classes "$R/classes.txt"
extract tracked --boxes "$OUT/untracked" --classes "$R/classes.txt"
extract detected --detector "$DETECTOR" --classes "$CLASSES" --detector-size 320
for seed in $SEEDS; do
  sfx=""; [ "$seed" = "$SEED" ] || sfx="-seed$seed"   # the first seed's files carry no suffix
  for trained in truth detected; do
    if [ ! -f "$OUT/run-$trained$TAG$sfx/best.safetensors" ]; then
      # shellcheck disable=SC2086
      $GLIDN train --dataset videos --data "$OUT/$trained" --output "$OUT/run-$trained$TAG$sfx" --seed "$seed" $MODEL \
        > "$OUT/train-$trained$TAG$sfx.log" 2>&1
    fi
    for tested in truth tracked detected; do
      $GLIDN evaluate --checkpoint "$OUT/run-$trained$TAG$sfx/best.safetensors" --dataset videos --data "$OUT/$tested" \
        --split test --output "$OUT/evaluate-$trained$TAG-on-$tested$sfx.json" 2>/dev/null
      python3 -c "import json, sys; print('trained on %s (seed %s), tested on %s: test mAP %.2f' % (sys.argv[2], sys.argv[4], sys.argv[3], json.load(open(sys.argv[1]))['mAP']))" \
        "$OUT/evaluate-$trained$TAG-on-$tested$sfx.json" "$trained$TAG" "$tested" "$seed"
    done
  done
done
for tracks in tracked detected; do
  printf 'tracking, %s: ' "$tracks"
  python3 tools/video/track_metrics.py "$R" "$OUT/$tracks" --prefix test- --json "$OUT/tracking-$tracks.json"
done
python3 - "$OUT" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
results = {os.path.basename(p)[:-5]: json.load(open(p)) for p in sorted(glob.glob(out + "/evaluate-*.json")) + sorted(glob.glob(out + "/tracking-*.json"))}
json.dump(results, open(out + "/results.json", "w"), indent=1, sort_keys=True)
trainings = sorted({k[len("evaluate-"):k.index("-on-")] for k in results if k.startswith("evaluate-")})
for trained in trainings:
    for tested in ("truth", "tracked", "detected"):
        key = "evaluate-%s-on-%s" % (trained, tested)
        values = [r["mAP"] for k, r in results.items() if k == key or k.startswith(key + "-seed")]
        if not values:
            continue
        print("trained on %s, tested on %s: test mAP %.2f (mean of %d seeds)" % (trained, tested, sum(values) / len(values), len(values)))
PY
