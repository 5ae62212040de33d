#!/bin/sh
# The README's picture of the demo's report: the top of glidn-demo/report.html rendered by a
# headless Chromium (Debian's `chromium`). Usage: tools/docs/report_picture.sh [REPORT] [PNG]
set -e
cd "$(dirname "$0")/../.."
REPORT=${1:-glidn-demo/report.html}
PNG=${2:-docs/images/demo-report.png}
command -v chromium >/dev/null || tools/setup/debian_packages.sh chromium
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1150,1150 \
    --screenshot="$PNG" "file://$(cd "$(dirname "$REPORT")" && pwd)/$(basename "$REPORT")" 2>/dev/null
echo "wrote $PNG"
