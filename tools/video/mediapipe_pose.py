#!/usr/bin/env python3
"""MediaPipe's pose (BlazePose) on videos, for the choice of the built-in person detector
(README, "From video"): how often it finds a person at 10 sampled frames per second, and its
time per frame. MediaPipe is not a dependency of the package; this measures it as a candidate.

    python3 -m venv /tmp/mpvenv && /tmp/mpvenv/bin/pip install mediapipe==0.10.14
    /tmp/mpvenv/bin/python tools/video/mediapipe_pose.py VIDEO…

(The 0.10.x wheels carry the BlazePose models inside, for the `solutions.pose` API used here;
the 1.2.x wheels carry only libmediapipe.so, without a header or models.)
"""
import sys
import time

import cv2
import mediapipe as mp


def measure(path):
    cap = cv2.VideoCapture(path)
    step = max(int(round(cap.get(cv2.CAP_PROP_FPS) / 10)), 1)
    pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1)
    sampled = found = index = 0
    seconds = 0.0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        index += 1
        if (index - 1) % step:
            continue
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        start = time.perf_counter()
        result = pose.process(rgb)
        seconds += time.perf_counter() - start
        sampled += 1
        found += result.pose_landmarks is not None
    print(f"{path.split('/')[-1]}: {sampled} sampled frames, a person found in {found} "
          f"({100 * found / max(sampled, 1):.0f} %), at most 1 per frame; {1000 * seconds / max(sampled, 1):.1f} ms/frame")


for video in sys.argv[1:]:
    measure(video)
