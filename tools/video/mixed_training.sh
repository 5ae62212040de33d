#!/bin/sh
# Trains on the true boxes and the detected tracks together (docs/STUDIES.md, "From video"):
# the same rendered training clips twice, once from each extraction of
# tools/video/synthetic_end_to_end.sh OUT (run it first), then evaluates on the test clips of
# every extraction. Test mAP per training seed (SEEDS, default 0 1 2), MODEL: more train options.
#
#   tools/video/mixed_training.sh [OUT]      # default /tmp/glidn-video-study
set -e
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/glidn-video-study}
GLIDN=${GLIDN:-.build/release/glidn}
SEEDS=${SEEDS:-"0 1 2"}
MODEL=${MODEL:-}; TAG=${TAG:-}
M="$OUT/mixed"
if [ ! -f "$M/labels.csv" ]; then
  mkdir -p "$M.partial"
  cp "$OUT/detected/actions.txt" "$OUT/detected/categories.txt" "$OUT/detected/extraction.json" "$M.partial/"
  head -1 "$OUT/detected/labels.csv" > "$M.partial/labels.csv"
  tail -n +2 "$OUT/detected/labels.csv" | while IFS= read -r line; do
    id=${line%%,*}; rest=${line#*,}
    case $id in
      train-*)
        ln -s "$OUT/truth/$id.npz" "$M.partial/truth-$id.npz"; echo "truth-$id,$rest" >> "$M.partial/labels.csv"
        ln -s "$OUT/detected/$id.npz" "$M.partial/detected-$id.npz"; echo "detected-$id,$rest" >> "$M.partial/labels.csv" ;;
      *) ln -s "$OUT/detected/$id.npz" "$M.partial/$id.npz"; echo "$line" >> "$M.partial/labels.csv" ;;
    esac
  done
  mv "$M.partial" "$M"
fi
for seed in $SEEDS; do
  run="$OUT/run-mixed$TAG-seed$seed"
  if [ ! -f "$run/best.safetensors" ]; then
    # shellcheck disable=SC2086
    $GLIDN train --dataset videos --data "$M" --output "$run" --seed "$seed" $MODEL > "$run.log" 2>&1
  fi
  for tested in truth tracked detected; do
    $GLIDN evaluate --checkpoint "$run/best.safetensors" --dataset videos --data "$OUT/$tested" --split test \
      --output "$OUT/evaluate-mixed$TAG-on-$tested-seed$seed.json" 2>/dev/null
    python3 -c "import json, sys; print('trained on both (seed %s), tested on %s: test mAP %.2f' % (sys.argv[2], sys.argv[3], json.load(open(sys.argv[1]))['mAP']))" \
      "$OUT/evaluate-mixed$TAG-on-$tested-seed$seed.json" "$seed" "$tested"
  done
done
