"""What a file says of itself (``Extraction.fingerprint["file"]``, from
``extractors.fingerprint.file_metadata``): warnings only, never errors alone.

- ``edited_file``: EXIF ``Software`` names an image editor (``[risk] editors`` in the rules);
- ``stale_capture``: ``DateTimeOriginal`` more than ``stale_capture_days`` before the
  application date, or more than ``capture_after_upload_hours`` after the file's upload
  (when the caller knows the upload time, ``Case.uploaded_at``);
- ``screenshot``: ``Software``, ``UserComment`` or ``ImageDescription`` says screenshot, or a
  file without camera ``Make``/``Model`` whose pixel size is a phone's or a monitor's screen.

>>> parse_exif_time("2026:11:20 09:30:00")
datetime.datetime(2026, 11, 20, 9, 30)
>>> parse_exif_time("not a time") is None
True
>>> is_screen_size(1170, 2532), is_screen_size(1600, 1200)
(True, False)
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from verify.checks._base import warn
from verify.context import Context
from verify.types import Discrepancy

__all__ = ["check_file_metadata", "parse_exif_time", "is_screen_size", "SCREEN_SIZES", "SCREENSHOT_WORDS"]

#: pixel sizes of phone, tablet and monitor screens (either way round)
SCREEN_SIZES = frozenset({
    (640, 1136), (720, 1280), (720, 1520), (720, 1600), (750, 1334), (828, 1792), (1080, 1920), (1080, 2160),
    (1080, 2220), (1080, 2240), (1080, 2280), (1080, 2310), (1080, 2340), (1080, 2376), (1080, 2400),
    (1080, 2412), (1125, 2436), (1170, 2532), (1179, 2556), (1206, 2622), (1242, 2208), (1242, 2688),
    (1260, 2800), (1284, 2778), (1290, 2796), (1320, 2868), (1440, 2560), (1440, 3040), (1440, 3120),
    (1440, 3200), (1536, 2048), (1620, 2160), (1640, 2360), (1668, 2388), (2048, 2732),
    (720, 1280), (768, 1366), (900, 1440), (864, 1536), (900, 1600), (1050, 1680), (1080, 1920), (1200, 1920),
    (1440, 2560), (1600, 2560), (1800, 2880), (2160, 3840),
})
SCREENSHOT_WORDS = ("screenshot", "screen shot", "截屏", "截图", "屏幕快照", "屏幕截图")
_FORMATS = ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y:%m:%d %H:%M", "%Y-%m-%d")


def parse_exif_time(value: Any) -> datetime | None:
    """An EXIF/PNG time stamp as a naive datetime (local time of the camera), or None."""
    text = str(value or "").strip().rstrip("Z").split(".")[0].split("+")[0]
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def is_screen_size(width: Any, height: Any) -> bool:
    try:
        w, h = int(width), int(height)
    except (TypeError, ValueError):
        return False
    return (min(w, h), max(w, h)) in SCREEN_SIZES


def _says_screenshot(meta: dict[str, Any]) -> str | None:
    for key in ("software", "user_comment", "description"):
        text = str(meta.get(key) or "").lower()
        if any(w in text for w in SCREENSHOT_WORDS):
            return f"{key}: {meta[key]}"
    return None


def _one(ctx: Context, file: str, meta: dict[str, Any]) -> list[Discrepancy]:
    rules = ctx.rules.risk
    out: list[Discrepancy] = []
    software = str(meta.get("software") or "")
    editor = next((e for e in rules.editors if e and e in software.lower()), None)
    if editor:
        out.append(warn("edited_file", "file.software", f"文件元数据显示经过图像编辑软件处理（{software}），请核对原件",
                        found=software, document=file))
    taken = parse_exif_time(meta.get("datetime_original"))
    if taken is not None:
        earliest = datetime.combine(ctx.application_date - timedelta(days=rules.stale_capture_days), time.min)
        uploaded = ctx.case.uploaded_at.get(file)
        if uploaded is not None and uploaded.tzinfo is not None:
            uploaded = uploaded.replace(tzinfo=None)
        if taken < earliest:
            out.append(warn("stale_capture", "file.datetime_original",
                            f"照片拍摄于 {taken:%Y-%m-%d}，早于申请日期 {rules.stale_capture_days} 天以上",
                            expected=f"≥ {earliest:%Y-%m-%d}", found=taken.isoformat(sep=" "), document=file))
        elif uploaded is not None and taken > uploaded + timedelta(hours=rules.capture_after_upload_hours):
            out.append(warn("stale_capture", "file.datetime_original",
                            f"照片拍摄时间 {taken:%Y-%m-%d %H:%M} 晚于上传时间 {uploaded:%Y-%m-%d %H:%M}",
                            expected=f"≤ {uploaded:%Y-%m-%d %H:%M}", found=taken.isoformat(sep=" "), document=file))
    said = _says_screenshot(meta)
    camera = meta.get("make") or meta.get("model")
    if said or (not camera and is_screen_size(meta.get("width"), meta.get("height"))):
        why = said or f"无相机信息，尺寸 {meta.get('width')}×{meta.get('height')} 与屏幕一致"
        out.append(warn("screenshot", "file.format", f"文件像是屏幕截图而不是相机拍摄的照片（{why}）",
                        found=why, document=file))
    return out


def check_file_metadata(ctx: Context) -> list[Discrepancy]:
    """The three metadata warnings for every file of the case that carries its metadata."""
    out: list[Discrepancy] = []
    for ex in ctx.extractions:
        meta = (ex.fingerprint or {}).get("file")
        if isinstance(meta, dict) and meta:
            out.extend(_one(ctx, ex.file, meta))
    return out
