# Two entry points for a fresh Debian machine with Swift: `make demo` and `make test`.
# Both install the libraries they need first (`make deps`).
#
# Builds are optimised for the CPU they run on (AVX2/AVX-512 where present): `make` builds
# and runs on the same machine. For a portable binary, build without SWIFTFLAGS:
#   make build SWIFTFLAGS=

SWIFT ?= swift
SWIFTFLAGS ?= -Xswiftc -target-cpu -Xswiftc native

.PHONY: deps bench-deps torch-deps build demo test lint format fuzz fuzz-smoke faults bench bench-compare clean

# Debian's packages the build and the tools need (README, "Libraries"): oneDNN for matrix
# products (loaded at run time), zlib for .npz files, FFmpeg for video, OpenCV for detection
# and drawing. Only the missing ones are installed; then the pkg-config file of the five
# OpenCV modules GLIDN links (tools/setup/opencv_pkgconfig.sh), and ONNX Runtime from PyPI for
# ONNX detectors (tools/setup/onnxruntime.sh).
DEBIAN_PACKAGES := pkg-config zlib1g-dev libdnnl2 libavformat-dev libavcodec-dev libswscale-dev libavutil-dev \
	libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-objdetect-dev libopencv-dnn-dev

deps:
	@tools/setup/debian_packages.sh $(DEBIAN_PACKAGES)
	@tools/setup/opencv_pkgconfig.sh
	@tools/setup/onnxruntime.sh

# What the speed comparisons need besides the build: PyTorch (the other side) and the BLAS
# libraries measured against oneDNN (README, "Speed"), and perf for tools/speed/where_time_goes.sh,
# from Debian's packages and PyPI.
bench-deps: deps
	@tools/setup/debian_packages.sh libopenblas0 libblis4-serial linux-perf
	python3 -m pip install -q -r tools/pytorch/requirements.txt scipy-openblas32

# The PyTorch twin for people (tools/pytorch/README.md): run and fine-tune glidn's models in
# PyTorch on the inputs `glidn export-inputs` writes.
torch-deps:
	python3 -m pip install -q -r tools/pytorch/requirements.txt

build: deps
	$(SWIFT) build -c release $(SWIFTFLAGS) --product glidn
	$(SWIFT) build -c release $(SWIFTFLAGS) --product glidn-video

demo: build
	.build/release/glidn demo --overwrite

# The README examples run the `glidn` that the test build leaves in .build/release (built with
# testing enabled, the same code): building the product again without it would recompile
# every module, 4 of CI's 15 minutes on a slow day.
test: deps lint
	$(SWIFT) test -c release $(SWIFTFLAGS)
	.build/release/glidn-example
	tools/readme_examples.sh
	$(MAKE) fuzz-smoke

# The code's layout, as .swift-format configures it (`swift format` ships with the toolchain;
# `make format` rewrites the files to it).
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Examples Package.swift

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Examples Package.swift

# Every reader under libFuzzer and AddressSanitizer, 1,000,000 inputs each (about an hour).
fuzz: deps
	tools/fuzz/run.sh

# Fault injection (README, "Reliability"): at least 100 random SIGKILL/SIGINT/SIGTERM with
# resumes, 200 bit flips in checkpoints, a full disk at random moments (a small tmpfs: needs
# root). About 10 minutes; not part of `make test`.
faults: build
	python3 tools/faults/run.py

# A few seconds per reader: what `make test` (and so CI) runs.
fuzz-smoke: deps
	SMOKE=3 tools/fuzz/run.sh

# The speed workloads of docs/BENCHMARKS.md.
bench: build
	.build/release/glidn bench --workload cad120
	.build/release/glidn bench --workload charades

# Side by side with PyTorch, training and inference at batch 1 and 64, then every BLAS library
# installed (README, "Speed, as measured").
bench-compare: build bench-deps
	MODES="training inference:1 inference:64" ROUNDS=5 tools/pytorch/compare_speed.sh | python3 tools/pytorch/compare_speed.py
	tools/speed/blas_compare.sh

clean:
	rm -rf .build
