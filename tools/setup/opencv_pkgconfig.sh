#!/bin/sh
# Writes the pkg-config file `glidn-opencv.pc`: the OpenCV modules GLIDN uses (core, imgproc,
# imgcodecs, objdetect, dnn) from Debian's libopencv-*-dev packages. Debian's own `opencv4.pc`
# (libopencv-dev) names all ~60 OpenCV libraries, and every one would then be loaded by every
# glidn command (0.3 s at each start, 100 MB more memory); this names the five it needs.
set -e
DIR=${PKG_CONFIG_DIR:-/usr/local/lib/pkgconfig}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
VERSION=$(dpkg-query -W -f='${Version}' libopencv-core-dev 2>/dev/null | sed 's/+.*//')
[ -n "$VERSION" ] || { echo "libopencv-core-dev is not installed" >&2; exit 1; }
[ -f /usr/include/opencv4/opencv2/core.hpp ] || { echo "no OpenCV headers in /usr/include/opencv4" >&2; exit 1; }
TMP=$(mktemp)
cat > "$TMP" <<PC
# Written by GLIDN's make deps (tools/setup/opencv_pkgconfig.sh).
Name: glidn-opencv
Description: the OpenCV modules GLIDN uses: core, imgproc, imgcodecs, objdetect, dnn
Version: $VERSION
Cflags: -I/usr/include/opencv4
Libs: -lopencv_dnn -lopencv_objdetect -lopencv_imgcodecs -lopencv_imgproc -lopencv_core
PC
if ! cmp -s "$TMP" "$DIR/glidn-opencv.pc" 2>/dev/null; then
  $SUDO mkdir -p "$DIR"
  $SUDO cp "$TMP" "$DIR/glidn-opencv.pc"
  $SUDO chmod 644 "$DIR/glidn-opencv.pc"
  echo "wrote $DIR/glidn-opencv.pc"
fi
rm -f "$TMP"
