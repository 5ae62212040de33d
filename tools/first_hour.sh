#!/bin/sh
# A new user's first hour, scripted (issue "Honest scores by default"): a fresh clone of this
# repository, the README's two commands, then the README's examples on the real CAD-120 files
# with the recipes' full training. Prints every note, warning and error the user would read
# (each is a line to look at), then how long each part took.
#
#   CAD120_GT=path/to/CAD120_GT_all_subjects_training_new_wo_having_meal.pkl \
#   LIGHTEN=path/to/lighten_dev.p tools/first_hour.sh [WORK]     # about 25 minutes on 2 cores
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$(mktemp -d)}
: "${CAD120_GT:=$ROOT/../shared/data/cad120/CAD120_GT_all_subjects_training_new_wo_having_meal.pkl}"
: "${LIGHTEN:=$ROOT/../shared/data/cad120/lighten_dev.p}"
export CAD120_GT LIGHTEN
rm -rf "$WORK/glidn"
git clone --quiet "$ROOT" "$WORK/glidn"
cd "$WORK/glidn"
t0=$(date +%s)
make demo > "$WORK/demo.log" 2>&1 || { tail -20 "$WORK/demo.log"; echo "make demo failed"; exit 1; }
t1=$(date +%s)
FULL=1 VERBOSE=1 GLIDN="$WORK/glidn/.build/release/glidn" tools/readme_examples.sh > "$WORK/examples.log" 2>&1 ||
  { tail -20 "$WORK/examples.log"; echo "an example failed"; exit 1; }
t2=$(date +%s)
echo "notes, warnings and errors a user reads (make demo, then the examples):"
grep -in 'note:\|warning\|error' "$WORK/demo.log" "$WORK/examples.log" | grep -v '^[^:]*:[0-9]*:\[' || echo "  none"
echo "make demo: $((t1 - t0)) s; the README examples on the real files: $((t2 - t1)) s; logs in $WORK"
