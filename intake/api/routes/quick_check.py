"""``POST /api/v1/quick-check``: a verdict at the table (CONTRACT, "Case lifecycle and the
people's work").

One file (multipart field ``file``) → what it is and whether to retake it, from the
quality gate and classification alone (``extractors.quick_check``); nothing is stored and
no case is needed. The full reading follows through the queue once the agent uploads.

The check runs on this process's own OCR engine in a dedicated one-thread pool, so it
never waits behind the RQ queue (the worker is another process) nor takes a thread of
the server's shared pool; at most ``intake.defaults.QUICK_CHECK_MAX_WAITING`` requests wait for that
thread, the next ones get 503 with ``Retry-After``. The file is checked like an upload
first: type by magic bytes (415), empty (422), pixel count from the header (422); the
request body limit (413) is the app's middleware.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from typing import Literal

from fastapi import APIRouter, File, HTTPException, UploadFile, status
from pydantic import BaseModel

from intake import defaults
from intake.api.deps import RuntimeDep, require_roles
from intake.settings import Settings
from intake.uploads import UploadRejected, check_pixels, detect_type

__all__ = ["router", "QuickCheckPublic", "warm_up"]


router = APIRouter(tags=["quick-check"])


class QuickIssue(BaseModel):
    code: str
    severity: Literal["error", "warning"]
    message: str


class QuickQuality(BaseModel):
    ok: bool
    issues: list[QuickIssue]


class QuickCheckPublic(BaseModel):
    kind: str
    kind_confidence: float
    quality: QuickQuality
    retake: bool
    message_zh: str


_executor = ThreadPoolExecutor(max_workers=defaults.QUICK_CHECK_THREADS, thread_name_prefix="quick-check")
_pending = 0  # requests running or waiting in ``_executor``
_pending_lock = threading.Lock()


def _check(data: bytes, settings: Settings) -> dict:
    from extractors.ocr import get_engine
    from extractors.quick_check import quick_check

    engine = get_engine(settings.ocr_engine, settings.models_dir)
    return quick_check(data, engine, max_pixels=settings.max_pixels).to_dict()


def warm_up(settings: Settings) -> None:
    """Load the OCR engine and the orientation models in the quick-check thread, in the
    background (``baoquan serve`` calls it at start; otherwise the first request pays for
    it: 3.1–3.5 s measured by ``bench.quick_check``'s warm-up request)."""
    def load() -> None:
        from extractors.ocr import get_engine
        from extractors.orientation import get_orientation_detector

        get_engine(settings.ocr_engine, settings.models_dir)
        get_orientation_detector()

    _executor.submit(load)


@router.post("/quick-check", response_model=QuickCheckPublic, dependencies=[require_roles("agent", "clerk", "admin")],
             responses={415: {"description": "not an image or PDF"}, 422: {"description": "empty or too many pixels"},
                        503: {"description": "too many quick checks waiting"}})
async def quick_check_file(rt: RuntimeDep, file: UploadFile = File(..., description="one photo, scan or PDF")) -> dict:
    """`{"kind", "kind_confidence", "quality": {"ok", "issues"}, "retake", "message_zh"}` for one file,
    in about a second; nothing stored."""
    global _pending
    data = await file.read()
    try:
        mime = detect_type(data)
        check_pixels(data, mime, rt.settings.max_pixels)
    except UploadRejected as exc:
        raise HTTPException(exc.status, str(exc)) from None
    with _pending_lock:
        if _pending >= defaults.QUICK_CHECK_THREADS + defaults.QUICK_CHECK_MAX_WAITING:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "too many quick checks waiting; try again",
                                headers={"Retry-After": str(defaults.QUICK_CHECK_RETRY_AFTER)})
        _pending += 1
    job = _executor.submit(_check, data, rt.settings)
    job.add_done_callback(_done)  # counted until the thread is through, even if the client left
    return await asyncio.wrap_future(job)


def _done(_job) -> None:
    global _pending
    with _pending_lock:
        _pending -= 1
