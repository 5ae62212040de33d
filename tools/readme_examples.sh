#!/bin/sh
# Runs every `glidn` command of the README's examples ("Using it", "From video"), in order, as a user would
# (run by `make test`, so the examples cannot go stale). The lines between the markers
# `<!-- examples:start -->` and `<!-- examples:end -->` that start with `glidn` are the
# commands (a trailing backslash continues a line); they run in a scratch folder with the
# README's variables pointing at small files of the repository's fixtures:
#   $CAD120_GT   Tests/HOIDataTests/Fixtures/cad120_gt_small.pkl (two videos, subjects 1 and 3)
#   $LIGHTEN     Tests/HOIDataTests/Fixtures/lighten_small.p (38 segments of 5 videos)
#   $FEATURES    Tests/HOIDataTests/Fixtures/charades_features (two videos)
#   $TRAIN_CSV, $TEST_CSV   those two videos' rows of Tests/HOIDataTests/Fixtures/charades_small.csv
#   $REFERENCE   Tests/GLIDNTests/Fixtures/reference
#   $VIDEO       Tests/GLIDNVideoTests/Fixtures/tiny.mkv (10 frames, 64 × 48)
#   $DETECTOR, $CLASSES   tools/video/synthetic_detector.onnx and synthetic_classes.txt
#   $BOXES       a MOT CSV of one box in tiny.mkv's first two frames
# One change keeps the run short: a `train` without `--epochs` (the recipes' 400 epochs
# take minutes) runs 2 epochs here (FULL=1 keeps the recipes'). Any command that fails stops
# the script with its output. The variables may be given (tools/first_hour.sh gives the real
# CAD-120 files); VERBOSE=1 prints every command's output.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${GLIDN:-$ROOT/.build/release/glidn}
[ -x "$BIN" ] || { echo "build glidn first (make build): $BIN"; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FIX=$ROOT/Tests/HOIDataTests/Fixtures
export CAD120_GT="${CAD120_GT:-$FIX/cad120_gt_small.pkl}"
export LIGHTEN="${LIGHTEN:-$FIX/lighten_small.p}"
export FEATURES="$FIX/charades_features"
export REFERENCE="$ROOT/Tests/GLIDNTests/Fixtures/reference"
export TRAIN_CSV="$WORK/train.csv" TEST_CSV="$WORK/test.csv"
export VIDEO="$ROOT/Tests/GLIDNVideoTests/Fixtures/tiny.mkv"
export DETECTOR="$ROOT/tools/video/synthetic_detector.onnx" CLASSES="$ROOT/tools/video/synthetic_classes.txt"
export BOXES="$WORK/boxes.csv"
printf '1,-1,10,10,20,20,1,0\n2,-1,11,10,20,20,1,0\n' > "$BOXES"
python3 - "$FIX/charades_small.csv" "$TRAIN_CSV" "$TEST_CSV" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
kept = [rows[0]] + [r for r in rows[1:] if r[0] in ("AAAA1", "CCCC3")]
for out in sys.argv[2:]:
    csv.writer(open(out, "w", newline="")).writerows(kept)
PY
awk '/<!-- examples:start -->/{on=1; next} /<!-- examples:end -->/{on=0} on' "$ROOT/README.md" |
  awk '{ if (sub(/\\$/, "")) { line = line $0 } else { print line $0; line = "" } }' |
  sed 's/[[:space:]]*#.*$//' | grep '^glidn ' > "$WORK/commands.txt"
count=$(wc -l < "$WORK/commands.txt")
[ "$count" -gt 0 ] || { echo "no examples found in README.md"; exit 1; }
cd "$WORK"
n=0
while IFS= read -r command; do
  n=$((n + 1))
  case "$command" in
    "glidn train"*) case "$command" in *--epochs*) ;; *) [ -n "$FULL" ] || command="$command --epochs 2" ;; esac ;;
  esac
  echo "[$n/$count] $command"
  # shellcheck disable=SC2086
  if ! eval "\"$BIN\" ${command#glidn }" > "$WORK/out.txt" 2>&1; then
    cat "$WORK/out.txt"; echo "README example failed: $command"; exit 1
  fi
  [ -z "$VERBOSE" ] || grep -v '^glidn epoch\|^global epoch\|^local epoch\|^pooled epoch' "$WORK/out.txt"
done < "$WORK/commands.txt"
echo "all $count README examples ran"
