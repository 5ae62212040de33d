#!/bin/sh
# The pretrained models `glidn predict --model NAME` names (README, "Pretrained models";
# Sources/GLIDN/Models/README.md): each CAD-120 recipe trained on every video of subjects 1, 3
# and 4 (the checkpoint chosen on 20 % of them, held out), seed 0.
#
#   DATA=path/to/CAD120_GT_all_subjects_training_new_wo_having_meal.pkl tools/models/train_pretrained.sh [OUT]
#
# Writes OUT/cad120-<task>/ (default OUT: /tmp/glidn-pretrained), copies each best.safetensors
# to Sources/GLIDN/Models/cad120-<task>.safetensors and prints their SHA-256. GLIDN defaults to
# .build/release/glidn (`make build`). About two minutes per model on 2 cores.
set -e
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/glidn-pretrained}
GLIDN=${GLIDN:-.build/release/glidn}
DATA=${DATA:-../shared/data/cad120/CAD120_GT_all_subjects_training_new_wo_having_meal.pkl}
for task in detection anticipation; do
  $GLIDN train --dataset cad120-gt --data "$DATA" --task "$task" --seed 0 --keep-every 0 \
    --output "$OUT/cad120-$task" --overwrite
  cp "$OUT/cad120-$task/best.safetensors" "Sources/GLIDN/Models/cad120-$task.safetensors"
done
sha256sum Sources/GLIDN/Models/*.safetensors
