"""Where the PP-OCR model files come from: the installed rapidocr wheel, never a hub.

The rapidocr wheel ships PaddleOCR's PP-OCRv6 small detection and recognition models and
the PP-OCR mobile text-line orientation classifier as ONNX files. Both engines and the
orientation classifier read them from there; the paddleocr engine gets a model dir per
model assembled under the data dir (see ``assemble_paddle_model_dirs``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from extractors.errors import EngineUnavailable

__all__ = [
    "rapidocr_model_dir",
    "model_file",
    "DET_MODEL",
    "REC_MODEL",
    "CLS_MODEL",
    "PADDLE_DET_NAME",
    "PADDLE_REC_NAME",
    "assemble_paddle_model_dirs",
]

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

PADDLE_DET_NAME = "PP-OCRv6_small_det"
PADDLE_REC_NAME = "PP-OCRv6_small_rec"

_TEMPLATES = Path(__file__).with_name("paddle_models")


def rapidocr_model_dir() -> Path:
    try:
        import rapidocr
    except ImportError as exc:  # pragma: no cover - rapidocr is a hard dependency
        raise EngineUnavailable("the rapidocr package is not installed") from exc
    return Path(rapidocr.__file__).with_name("models")


def model_file(name: str) -> Path:
    path = rapidocr_model_dir() / name
    if not path.is_file():
        raise EngineUnavailable(
            f"model file {name} is not in the installed rapidocr wheel ({path.parent}); "
            "reinstall rapidocr==3.10.0 — models are never downloaded"
        )
    return path


def _rec_character_list(onnx_path: Path) -> list[str]:
    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    meta = sess.get_modelmeta().custom_metadata_map
    if "character" not in meta:
        raise EngineUnavailable(f"{onnx_path.name} carries no 'character' metadata")
    return meta["character"].splitlines()


def assemble_paddle_model_dirs(root: Path) -> tuple[Path, Path]:
    """Create ``root/PP-OCRv6_small_det`` and ``root/PP-OCRv6_small_rec`` once.

    Each holds ``inference.onnx`` (a copy of the rapidocr wheel's file) and
    ``inference.yml`` (the committed paddlex template; for recognition, plus the
    character list read from the ONNX metadata, so dictionary and model always match).
    Written to a temp dir and renamed, so a crash never leaves a half-built dir.
    """
    import yaml

    root.mkdir(parents=True, exist_ok=True)
    out = []
    for name, onnx in ((PADDLE_DET_NAME, DET_MODEL), (PADDLE_REC_NAME, REC_MODEL)):
        target = root / name
        src = model_file(onnx)
        marker = target / ".source"
        stamp = f"{src} {src.stat().st_size}"
        if marker.is_file() and marker.read_text() == stamp:
            out.append(target)
            continue
        tmp = root / f".{name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        shutil.copyfile(src, tmp / "inference.onnx")
        meta = yaml.safe_load((_TEMPLATES / f"{name}.inference.yml").read_text(encoding="utf-8"))
        if name == PADDLE_REC_NAME:
            meta.setdefault("PostProcess", {})["character_dict"] = _rec_character_list(src)
        (tmp / "inference.yml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        (tmp / ".source").write_text(stamp)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
        out.append(target)
    return out[0], out[1]
