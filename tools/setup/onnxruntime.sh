#!/bin/sh
# ONNX Runtime for ONNX detectors (`glidn extract --detector model.onnx`): the C library inside
# PyPI's onnxruntime wheel (it ships without a header; GLIDN declares what it calls, see
# Sources/CONNXRuntime), installed with pip if missing and linked as
# /usr/local/lib/libonnxruntime.so.1, where glidn loads it at run time. Without it, ONNX models
# run on OpenCV's DNN module, which reads fewer operators.
set -e
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
find_library() {
  python3 - <<'PY' 2>/dev/null
import glob, os
import onnxruntime
found = sorted(glob.glob(os.path.join(os.path.dirname(onnxruntime.__file__), "capi", "libonnxruntime.so.1*")))
print(found[0] if found else "")
PY
}
LIB=$(find_library || true)
if [ -z "$LIB" ]; then
  python3 -m pip --version >/dev/null 2>&1 || tools/setup/debian_packages.sh python3-pip
  echo "Installing from PyPI: onnxruntime"
  # Debian's own Python refuses pip outside a virtual environment (PEP 668): then for this user.
  python3 -m pip install -q onnxruntime 2>/dev/null \
    || python3 -m pip install -q --user --break-system-packages onnxruntime
  LIB=$(find_library)
fi
[ -n "$LIB" ] || { echo "onnxruntime is installed but holds no libonnxruntime.so.1" >&2; exit 1; }
if [ "$(readlink /usr/local/lib/libonnxruntime.so.1 2>/dev/null)" != "$LIB" ]; then
  $SUDO ln -sf "$LIB" /usr/local/lib/libonnxruntime.so.1
  $SUDO ldconfig
  echo "linked /usr/local/lib/libonnxruntime.so.1 -> $LIB"
fi
