"""A small object detector for the synthetic benchmark's renders (`glidn render-synthetic`),
trained with PyTorch and exported to ONNX in the YOLOv8 output layout that `glidn extract
--detector` reads: one output [1, 4 + C, N], box centre, width and height in input pixels,
then the C class scores (sigmoid), for each of the N cells of a stride-8 grid.

    python3 synthetic_detector.py train RENDERS OUT.onnx [--epochs 12]
    python3 synthetic_detector.py bad-outputs OUT.onnx     # a model whose outputs fit no layout (tests)

RENDERS holds the `<id>.mp4` videos, their true boxes `<id>.csv` (MOT layout) and
`classes.txt`; the clips labelled `train` in `labels.csv` train it. Frames are letterboxed to
a 320 × 320 input as glidn does (scaled to fit, centred on grey 114). Needs torch, av, onnx.
"""
import argparse
import csv
import os
import sys

import av
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 320
STRIDE = 8


def letterbox(frame):
    """HWC uint8 RGB → the model's input, and (scale, dx, dy) mapping frame to input pixels."""
    h, w = frame.shape[:2]
    scale = min(SIZE / w, SIZE / h)
    nw, nh = int(w * scale + 0.5), int(h * scale + 0.5)
    t = torch.from_numpy(frame).permute(2, 0, 1).float().unsqueeze(0)
    if (nw, nh) != (w, h):
        t = F.interpolate(t, size=(nh, nw), mode="bilinear", align_corners=False)
    out = torch.full((1, 3, SIZE, SIZE), 114.0)
    dx, dy = (SIZE - nw) // 2, (SIZE - nh) // 2
    out[:, :, dy:dy + nh, dx:dx + nw] = t
    return out[0].round().to(torch.uint8), scale, dx, dy


def load(folder, split="train"):
    classes = [l.strip() for l in open(os.path.join(folder, "classes.txt")) if l.strip()]
    ids = [r["video"] for r in csv.DictReader(open(os.path.join(folder, "labels.csv"))) if r.get("split", "train") == split]
    images, targets = [], []
    for vid in ids:
        boxes = {}
        for row in csv.reader(open(os.path.join(folder, vid + ".csv"))):
            f, _, x, y, w, h, _, c = row[:8]
            boxes.setdefault(int(f), []).append((float(x), float(y), float(w), float(h), int(c)))
        container = av.open(os.path.join(folder, vid + ".mp4"))
        for i, frame in enumerate(container.decode(video=0)):
            image, scale, dx, dy = letterbox(frame.to_ndarray(format="rgb24"))
            t = [(dx + (x + w / 2) * scale, dy + (y + h / 2) * scale, w * scale, h * scale, c) for x, y, w, h, c in boxes.get(i + 1, [])]
            images.append(image)
            targets.append(torch.tensor(t, dtype=torch.float32).reshape(-1, 5))
        container.close()
    return classes, torch.stack(images), targets


class Detector(nn.Module):
    def __init__(self, classes):
        super().__init__()
        def block(a, b, s):
            return nn.Sequential(nn.Conv2d(a, b, 3, s, 1), nn.BatchNorm2d(b), nn.ReLU())
        self.body = nn.Sequential(block(3, 16, 2), block(16, 32, 2), block(32, 48, 2), block(48, 64, 1), block(64, 64, 1))
        self.head = nn.Conv2d(64, 4 + classes, 1)
        self.classes = classes
        g = SIZE // STRIDE
        ys, xs = torch.meshgrid(torch.arange(g), torch.arange(g), indexing="ij")
        self.register_buffer("grid_x", xs.reshape(1, 1, -1).float())
        self.register_buffer("grid_y", ys.reshape(1, 1, -1).float())

    def raw(self, x):
        return self.head(self.body(x)).flatten(2)  # [B, 4 + C, cells]

    def forward(self, x):
        r = self.raw(x)
        cx = (self.grid_x + torch.sigmoid(r[:, 0:1])) * STRIDE
        cy = (self.grid_y + torch.sigmoid(r[:, 1:2])) * STRIDE
        # exp without a clamp: OpenCV 4.6 reads ONNX's Clip only in its opset-6 form.
        w = torch.exp(r[:, 2:3]) * 16
        h = torch.exp(r[:, 3:4]) * 16
        return torch.cat([cx, cy, w, h, torch.sigmoid(r[:, 4:])], 1)


def losses(model, raw, targets):
    b, _, cells = raw.shape
    g = SIZE // STRIDE
    scores = torch.zeros(b, model.classes, cells)
    positive = []
    for i, t in enumerate(targets):
        for cx, cy, w, h, c in t.tolist():
            gx, gy = min(int(cx // STRIDE), g - 1), min(int(cy // STRIDE), g - 1)
            cell = gy * g + gx
            scores[i, int(c), cell] = 1
            positive.append((i, cell, cx / STRIDE - gx, cy / STRIDE - gy, np.log(max(w, 1) / 16), np.log(max(h, 1) / 16)))
    cls = F.binary_cross_entropy_with_logits(raw[:, 4:], scores, reduction="sum") / max(len(positive), 1)
    if not positive:
        return cls
    idx = torch.tensor([[p[0], p[1]] for p in positive])
    target = torch.tensor([p[2:] for p in positive], dtype=torch.float32)
    r = raw[idx[:, 0], :4, idx[:, 1]]
    box = F.binary_cross_entropy_with_logits(r[:, :2], target[:, :2].clamp(0, 1)) + F.smooth_l1_loss(r[:, 2:], target[:, 2:])
    return cls + 5 * box


def train(folder, out, epochs):
    torch.manual_seed(0)
    classes, images, targets = load(folder)
    print(f"{len(images)} training frames, {sum(len(t) for t in targets)} boxes, classes {classes}")
    model = Detector(len(classes))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps = epochs * ((len(images) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    for epoch in range(epochs):
        order = torch.randperm(len(images))
        total = 0.0
        model.train()
        for s in range(0, len(images), 32):
            batch = order[s:s + 32]
            loss = losses(model, model.raw(images[batch].float() / 255), [targets[i] for i in batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(batch)
        print(f"epoch {epoch + 1}/{epochs}: loss {total / len(images):.4f}", flush=True)
    model.eval()
    torch.save(model.state_dict(), out + ".pt")
    export(model, out)


def export(model, out):
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), out, input_names=["images"], output_names=["output0"], opset_version=12,
                      dynamo=False)
    print("wrote", out, os.path.getsize(out), "bytes")


class BadOutputs(nn.Module):
    """A model whose single output [1, 7] fits no detector layout (ops OpenCV 4.6 reads)."""
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 7, 1)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return self.pool(self.conv(x)).flatten(1)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("renders")
    t.add_argument("out")
    t.add_argument("--epochs", type=int, default=12)
    b = sub.add_parser("bad-outputs")
    b.add_argument("out")
    a = ap.parse_args()
    if a.cmd == "train":
        train(a.renders, a.out, a.epochs)
    else:
        torch.onnx.export(BadOutputs(), torch.zeros(1, 3, SIZE, SIZE), a.out, input_names=["images"], output_names=["output0"],
                          opset_version=12, dynamo=False)
        print("wrote", a.out)
    sys.exit(0)
