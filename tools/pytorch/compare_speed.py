"""Summarises compare_speed.sh's output (stdin): per workload, the median over rounds of
each side's median ms/step, their ratio, and the peak memory of each."""
import json
import statistics
import sys

runs = {}
for line in sys.stdin:
    side, _, payload = line.partition(" ")
    if not payload.strip().startswith("{"):
        continue
    r = json.loads(payload)
    runs.setdefault(r["workload"], {}).setdefault(side, []).append(r)
for workload, sides in runs.items():
    g = statistics.median(r["ms_per_step_median"] for r in sides["glidn"])
    t = statistics.median(r["ms_per_step_median"] for r in sides["torch"])
    gm = max(r["peak_rss_mb"] for r in sides["glidn"])
    tm = max(r["peak_rss_mb"] for r in sides["torch"])
    floor = statistics.median(r["gemm_floor_ms"] for r in sides["glidn"])
    print(f"{workload}: glidn {g:.2f} ms/step, PyTorch {t:.2f} ms/step, ratio {g / t:.3f}; "
          f"matrix-product floor {floor:.2f} ms (glidn at {g / floor:.2f}x); "
          f"peak RSS {gm:.0f} MB vs {tm:.0f} MB (ratio {gm / tm:.3f}); rounds {len(sides['glidn'])}")
