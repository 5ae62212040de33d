#!/usr/bin/env python3
"""Detection and tracking quality of `glidn extract` against the true boxes of rendered clips.

    python3 tools/video/track_metrics.py RENDERS EXTRACTED [--prefix test-] [--json OUT]

RENDERS holds the renderer's <id>.csv (MOT: frame from 1, id, x, y, w, h, conf, class); frame
f of a render is at (f - 1) / fps seconds (--fps, the render's rate: extract at that rate so
that every frame is scored).
EXTRACTED holds <id>.tracks.csv (frame, time, track, class, score, x1, y1, x2, y2).
Matching: IoU >= 0.5 (py-motmetrics, class-agnostic), per clip, summed over clips.
Prints recall, precision, IDF1, identity switches, MOTA, and the class accuracy of matches.
"""
import argparse, csv, glob, json, os, sys

import motmetrics as mm
import numpy as np
from scipy.optimize import linear_sum_assignment


def iou_distances(a, b, max_distance=0.5):
    """1 - IoU of boxes (x, y, w, h), NaN beyond max_distance: motmetrics' convention (its own
    iou_matrix calls np.asfarray, gone from NumPy 2)."""
    if not a or not b:
        return np.empty((len(a), len(b)))
    a, b = np.asarray(a, dtype=float)[:, None, :], np.asarray(b, dtype=float)[None, :, :]
    w = np.clip(np.minimum(a[..., 0] + a[..., 2], b[..., 0] + b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    h = np.clip(np.minimum(a[..., 1] + a[..., 3], b[..., 1] + b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = w * h
    union = a[..., 2] * a[..., 3] + b[..., 2] * b[..., 3] - inter
    d = 1 - inter / np.maximum(union, 1e-12)
    d[d > max_distance] = np.nan
    return d


def truth(path):
    frames = {}
    with open(path) as f:
        for row in csv.reader(f):
            frame, tid, x, y, w, h = int(row[0]), int(row[1]), *map(float, row[2:6])
            cls = int(float(row[7])) if len(row) > 7 else 0
            frames.setdefault(frame, []).append((tid, [x, y, w, h], cls))
    return frames


def tracks(path, fps):
    frames = {}
    with open(path) as f:
        reader = csv.DictReader(f)
        for row in reader:
            frame = int(round(float(row["time"]) * fps)) + 1
            x1, y1, x2, y2 = (float(row[k]) for k in ("x1", "y1", "x2", "y2"))
            frames.setdefault(frame, []).append((int(row["track"]), [x1, y1, x2 - x1, y2 - y1], row["class"]))
    return frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("renders")
    ap.add_argument("extracted")
    ap.add_argument("--prefix", default="test-")
    ap.add_argument("--fps", type=float, default=12.0, help="the render's frame rate")
    ap.add_argument("--json")
    a = ap.parse_args()
    classes = [l.strip() for l in open(os.path.join(a.renders, "classes.txt")) if l.strip()]
    accumulators, names = [], []
    matched = correct = 0
    for gt_path in sorted(glob.glob(os.path.join(a.renders, a.prefix + "*.csv"))):
        vid = os.path.basename(gt_path)[:-4]
        hyp_path = os.path.join(a.extracted, vid + ".tracks.csv")
        if not os.path.exists(hyp_path):
            print(f"{vid}: no tracks (extraction failed?)", file=sys.stderr)
            continue
        gt, hyp = truth(gt_path), tracks(hyp_path, a.fps)
        acc = mm.MOTAccumulator(auto_id=False)
        for frame in sorted(set(gt) | set(hyp)):
            g, h = gt.get(frame, []), hyp.get(frame, [])
            distances = iou_distances([b for _, b, _ in g], [b for _, b, _ in h])
            acc.update([t for t, _, _ in g], [t for t, _, _ in h], distances, frameid=frame)
            # Class accuracy of boxes matched one to one by IoU >= 0.5 in this frame.
            cost = np.nan_to_num(distances, nan=2.0)
            if cost.size:
                rows, cols = linear_sum_assignment(cost)
                for r, c in zip(rows, cols):
                    if cost[r, c] <= 0.5:
                        matched += 1
                        correct += classes[g[r][2]] == h[c][2]
        accumulators.append(acc)
        names.append(vid)
    mh = mm.metrics.create()
    summary = mh.compute_many(
        accumulators, names=names, generate_overall=True,
        metrics=["recall", "precision", "idf1", "num_switches", "mota", "num_unique_objects", "num_frames"])
    overall = summary.loc["OVERALL"]
    result = {
        "clips": len(names), "recall": float(overall.recall), "precision": float(overall.precision),
        "idf1": float(overall.idf1), "id_switches": int(overall.num_switches), "mota": float(overall.mota),
        "objects": int(overall.num_unique_objects), "class_accuracy": correct / max(matched, 1),
    }
    print(f"{result['clips']} clips, {result['objects']} true entities: recall {100 * result['recall']:.1f}, "
          f"precision {100 * result['precision']:.1f}, IDF1 {100 * result['idf1']:.1f}, "
          f"ID switches {result['id_switches']}, MOTA {100 * result['mota']:.1f}, "
          f"class of matched boxes right {100 * result['class_accuracy']:.1f}%")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
