"""The expected official scores of a formula-made submission on the full Charades test CSV,
computed independently of the Swift code (scikit-learn's average precision), for the test
that runs `glidn evaluate-submission` on all 1,863 test videos.

    python3 tools/charades/submission_expectation.py ../shared/data/charades/Charades_v1_test.csv \
        > Tests/GLIDNTests/Fixtures/charades_full_test_expected.json

The submission (the test builds the same text): video v (its row in the CSV, from 0) and
class c score ((v·7919 + c·104729) mod 1000003) / 1000003, plus 0.3 when c is one of the
video's classes and v is not a multiple of 3; each printed with "%.6f".
"""
import csv, json, sys
import numpy as np
from sklearn.metrics import average_precision_score

rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
classes = 157
scores, labels = [], []
for v, row in enumerate(rows):
    truth = {int(a.split()[0][1:]) for a in row["actions"].split(";") if a.strip()}
    line = []
    for c in range(classes):
        s = ((v * 7919 + c * 104729) % 1000003) / 1000003.0
        if c in truth and v % 3 != 0:
            s += 0.3
        line.append(float("%.6f" % s))
    if truth:  # the official script leaves out videos without actions
        scores.append(line)
        labels.append([c in truth for c in range(classes)])
scores, labels = np.array(scores), np.array(labels)
aps, weights = [], []
for c in range(classes):
    column = scores[:, c]
    assert len(set(column.tolist())) == len(column), f"ties in class {c}: AP would depend on their order"
    if labels[:, c].any():
        aps.append(average_precision_score(labels[:, c], column))
        weights.append(labels[:, c].sum())
aps, weights = np.array(aps), np.array(weights)
print(json.dumps({"videos": len(rows), "videos_evaluated": int(len(scores)), "classes_with_positives": int(len(aps)),
                  "mAP": 100 * float(aps.mean()), "WAP": 100 * float((aps * weights).sum() / weights.sum())}, indent=1))
