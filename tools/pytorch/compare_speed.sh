#!/bin/sh
# Side-by-side speed comparison on one machine: GLIDN's `glidn bench` and the PyTorch
# version of the same model (tools/pytorch/glidn_torch.py), alternating, ROUNDS times
# per workload. Prints each run's JSON line; summarise with compare_speed.py.
# Every run starts after a pause of PAUSE seconds (default 5): right after a PyTorch process
# exits, the machine is busy for a moment (I/O wait, memory being returned), and whichever
# side ran next would pay for it. Both sides get the same pause, and both warm up for 3 steps
# and at least 0.25 s before the 20 measured ones (`--warmup-seconds`).
# Needs: a release build (`make build`) and `pip install torch safetensors`.
set -e
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
PAUSE=${PAUSE:-5}
for workload in cad120 charades; do
  for round in $(seq "$ROUNDS"); do
    sleep "$PAUSE"
    .build/release/glidn bench --workload "$workload" --json | tail -1 | sed 's/^/glidn /'
    sleep "$PAUSE"
    (cd tools/pytorch && python3 glidn_torch.py bench --workload "$workload") | sed 's/^/torch /'
  done
done
