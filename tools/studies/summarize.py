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

# --paired: each configuration TASK-… against TASK-none run for run (same fold and seed): the mean
# ± standard deviation of the differences and how many runs it won. --against NAME pairs the
# configurations of NAME's task with NAME instead.
if "--paired" in sys.argv:
    print()
    print("| configuration | against | " + " | ".join(f"Δ {k} (wins)" for k in keys) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in keys) + " |")
    for name, runs in rows.items():
        base = name.split("-")[0] + "-none"
        if "--against" in sys.argv:  # one baseline for every configuration of its task
            against = sys.argv[sys.argv.index("--against") + 1]
            base = against if against.split("-")[0] == name.split("-")[0] else ""
        if base == name or base not in rows:
            continue
        baseline = {(r["fold"], r["seed"]): r for r in rows[base]}
        cells = []
        for k in keys:
            diffs = [r["test"][k] - baseline[(r["fold"], r["seed"])]["test"][k]
                     for r in runs if (r["fold"], r["seed"]) in baseline and k in r["test"]]
            if not diffs:
                cells.append("–")
                continue
            spread = f" ± {statistics.stdev(diffs):.1f}" if len(diffs) > 1 else ""
            wins = sum(d > 0 for d in diffs)
            cells.append(f"{statistics.mean(diffs):+.1f}{spread} ({wins}/{len(diffs)})")
        print(f"| {name} | {base} | " + " | ".join(cells) + " |")
