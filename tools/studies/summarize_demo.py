"""One Markdown row per `glidn demo` folder under OUT_DIR (results.json): mean ± std over seeds.

    python3 tools/studies/summarize_demo.py OUT_DIR [OUT_DIR …]
"""
import json, os, re, sys

# The demo's log holds each seed's test line: "[i/n seed S] RUN: test … mAP X …".
seed_line = re.compile(r"seed (\d+)\] (.+?): test .*?mAP ([0-9.]+)")


def per_seed(log, run):
    if not os.path.isfile(log):
        return "–"
    found = [(int(s), float(m)) for s, r, m in seed_line.findall(open(log).read()) if r == run]
    return ", ".join(f"{m:.2f}" for _, m in sorted(found)) or "–"

keys = ["mAP", "WAP", "order_accuracy", "attention_accuracy"]
print("| configuration | runs | " + " | ".join(keys) + " | mAP per seed |")
print("| --- | --- | " + " | ".join("---" for _ in keys) + " | --- |")
for root in sys.argv[1:]:
    for entry in sorted(os.listdir(root)):
        folder = os.path.join(root, entry)
        path = os.path.join(folder, "results.json")
        if not os.path.isfile(path):
            continue
        name = open(os.path.join(folder, "name.txt")).read().strip() if os.path.exists(os.path.join(folder, "name.txt")) else entry
        for run, r in json.load(open(path)).items():
            cells = [f"{r[k]:.2f} ± {r.get(k + '_std', 0):.2f}" if k in r else "–" for k in keys]
            print(f"| {name} | {r['runs']} | " + " | ".join(cells) + f" | {per_seed(folder + '.log', run)} |")
