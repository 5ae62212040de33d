#!/bin/sh
# Side-by-side speed comparison on one machine: GLIDN's `glidn bench` and the PyTorch
# version of the same model (tools/pytorch/glidn_torch.py), alternating, ROUNDS times
# per workload. Prints each run's JSON line; summarise with compare_speed.py.
# Every run starts after a pause of PAUSE seconds (default 5): right after a PyTorch process
# exits, the machine is busy for a moment (I/O wait, memory being returned), and whichever
# side ran next would pay for it. Both sides get the same pause, and both warm up for 3 steps
# and at least 0.25 s before the 20 measured ones (`--warmup-seconds`).
# MODES lists what is timed (default "training"): "training", and "inference:B" for forward
# passes at batch B (e.g. MODES="training inference:1 inference:64").
# Needs: a release build (`make build`) and `pip install torch safetensors` (`make bench-deps`).
set -e
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
PAUSE=${PAUSE:-5}
MODES=${MODES:-training}
GLIDN=${GLIDN:-.build/release/glidn}
for workload in ${WORKLOADS:-cad120 charades}; do
  for mode in $MODES; do
    case "$mode" in
      training) flags="" ;;
      inference:*) flags="--inference --batch ${mode#inference:}" ;;
      *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
    for round in $(seq "$ROUNDS"); do
      sleep "$PAUSE"
      # shellcheck disable=SC2086
      "$GLIDN" bench --workload "$workload" $flags --json | tail -1 | sed 's/^/glidn /'
      sleep "$PAUSE"
      # shellcheck disable=SC2086
      (cd tools/pytorch && python3 glidn_torch.py bench --workload "$workload" $flags) | sed 's/^/torch /'
    done
  done
done
