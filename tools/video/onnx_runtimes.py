#!/usr/bin/env python3
"""Time per frame of an ONNX detector under ONNX Runtime (the onnxruntime wheel), for the
choice between it and OpenCV's DNN module (README, "From video"; `glidn extract` times the
latter end to end).

    python3 tools/video/onnx_runtimes.py tools/video/synthetic_detector.onnx 320
"""
import sys
import time

import numpy as np
import onnxruntime as ort

model, size = sys.argv[1], int(sys.argv[2])
x = np.random.default_rng(0).random((1, 3, size, size), dtype=np.float32)
for threads in (1, 2):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    for _ in range(20):
        session.run(None, {name: x})
    runs = 300
    start = time.perf_counter()
    for _ in range(runs):
        session.run(None, {name: x})
    print(f"ONNX Runtime {ort.__version__}, {threads} thread(s): {1000 * (time.perf_counter() - start) / runs:.2f} ms per frame")
