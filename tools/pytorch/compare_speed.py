"""Summarises compare_speed.sh's output (stdin): per workload and mode (training, or inference
at a batch size), the median over rounds of each side's median ms/step, their ratio, clips per
second, the matrix-product floor (training) and the peak memory of each."""
import json
import statistics
import sys

runs = {}
for line in sys.stdin:
    side, _, payload = line.partition(" ")
    if not payload.strip().startswith("{"):
        continue
    r = json.loads(payload)
    key = (r["workload"], r.get("mode", "training"), r.get("batch", 16))
    runs.setdefault(key, {}).setdefault(side, []).append(r)
for (workload, mode, batch), sides in runs.items():
    g = statistics.median(r["ms_per_step_median"] for r in sides["glidn"])
    t = statistics.median(r["ms_per_step_median"] for r in sides["torch"])
    gm = max(r["peak_rss_mb"] for r in sides["glidn"])
    tm = max(r["peak_rss_mb"] for r in sides["torch"])
    floor = statistics.median(r["gemm_floor_ms"] for r in sides["glidn"])
    blas = sides["glidn"][0].get("blas", "?") + " " + sides["glidn"][0].get("blas_kernels", "")
    compiled = sides["glidn"][0].get("kernels_compiled_for", "?")
    print(f"{workload} {mode} batch {batch}: glidn {g:.2f} ms/step ({batch * 1000 / g:.0f} clips/s), "
          f"PyTorch {t:.2f} ms/step ({batch * 1000 / t:.0f} clips/s), ratio {g / t:.3f}; "
          f"matrix-product floor {floor:.2f} ms (glidn at {g / floor:.2f}x); "
          f"peak RSS {gm:.0f} MB vs {tm:.0f} MB (ratio {gm / tm:.3f}); rounds {len(sides['glidn'])}; BLAS {blas}; "
          f"own kernels {compiled}")
