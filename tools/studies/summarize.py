"""Mean ± sample standard deviation over folds and seeds of each configuration's test metrics.

    python3 tools/studies/summarize.py OUT_DIR/results.jsonl [--keys sub_activity_f1,affordance_f1]

One row per configuration (in the order they first appear), Markdown.
"""
import json, statistics, sys

path = sys.argv[1]
keys = ["sub_activity_f1", "affordance_f1", "sub_activity_accuracy", "affordance_accuracy"]
if "--keys" in sys.argv:
    keys = sys.argv[sys.argv.index("--keys") + 1].split(",")
rows = {}
for line in open(path):
    r = json.loads(line)
    rows.setdefault(r["name"], []).append(r)
def cell(values):
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{statistics.mean(values):.1f} ± {statistics.stdev(values):.1f}"
print("| configuration | runs | " + " | ".join(keys) + " | s / epoch |")
print("| --- | --- | " + " | ".join("---" for _ in keys) + " | --- |")
for name, runs in rows.items():
    cells = [cell([r["test"][k] for r in runs if k in r["test"]]) for k in keys]
    per_epoch = statistics.mean(r["seconds_per_epoch"] for r in runs)
    print(f"| {name} | {len(runs)} | " + " | ".join(cells) + f" | {per_epoch:.2f} |")
