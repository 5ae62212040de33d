#!/bin/sh
# Side-by-side speed comparison on one machine: GLIDN's `glidn bench` and the PyTorch
# version of the same model (tools/pytorch/glidn_torch.py), alternating, ROUNDS times
# per workload. Prints each run's JSON line; summarise with compare_speed.py.
# Needs: a release build (swift build -c release) and `pip install torch safetensors`.
set -e
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
for workload in cad120 charades; do
  for round in $(seq "$ROUNDS"); do
    .build/release/glidn bench --workload "$workload" --json | tail -1 | sed 's/^/glidn /'
    (cd tools/pytorch && python3 glidn_torch.py bench --workload "$workload") | sed 's/^/torch /'
  done
done
