#!/usr/bin/env bash
# Create/update the virtualenv with everything the service and the tests need.
# paddleocr is installed without its dependencies: it requires paddlex[ocr-core], whose
# only conflicting member is opencv-contrib-python==4.10.0.84 — a second package
# providing `cv2` next to opencv-python-headless. The extra `paddle` in pyproject.toml
# lists every other member, so `pip check` passes with exactly one cv2 provider.
set -euo pipefail
PY=${1:-python3}
VENV=${2:-.venv}
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e '.[dev,paddle]'
"$VENV/bin/python" -m pip install -q --no-deps 'paddleocr==3.7.0'
"$VENV/bin/python" -m pip check
n=$("$VENV/bin/python" -m pip list 2>/dev/null | grep -ciE '^opencv-' || true)
if [ "$n" != "1" ]; then
  echo "install: expected exactly one OpenCV distribution providing cv2, found $n" >&2
  "$VENV/bin/python" -m pip list 2>/dev/null | grep -iE '^opencv-' >&2
  exit 1
fi
