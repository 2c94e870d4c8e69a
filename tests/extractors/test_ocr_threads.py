"""ONNX Runtime threads per session follow ``set_session_threads`` (BAOQUAN_OCR_THREADS in a
worker): checked on the sessions themselves, not assumed from the parameter we passed."""

from __future__ import annotations

import numpy as np
import pytest

from extractors import ocr

pytestmark = pytest.mark.ocr


def _text_image() -> np.ndarray:
    import cv2

    img = np.full((120, 480, 3), 255, np.uint8)
    cv2.putText(img, "BAOQUAN 2024", (10, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0, 0, 0), 3)
    return img


@pytest.fixture
def threads_setting():
    before = ocr.session_threads()
    yield
    ocr.set_session_threads(before)


def test_the_thread_setting_reaches_every_onnx_runtime_session(threads_setting):
    ocr.set_session_threads(1)
    engine = ocr.create_engine("rapidocr")
    engine(_text_image())  # rapidocr loads its sessions on first use
    got = engine.session_threads()
    assert got and set(got.values()) == {1}, got


def test_zero_leaves_onnx_runtime_its_default(threads_setting):
    ocr.set_session_threads(0)
    engine = ocr.create_engine("rapidocr")
    engine(_text_image())
    assert set(engine.session_threads().values()) == {0}  # 0: ONNX Runtime picks one thread per core


def test_the_orientation_detectors_sessions_get_the_setting_too(threads_setting):
    """The orientation detector builds its own sessions (detector and 0°/180° classifier):
    they follow the same setting, or a worker would still run one thread per core there."""
    from extractors.orientation import OrientationDetector

    ocr.set_session_threads(1)
    detector = OrientationDetector()
    detector.detect(_text_image())  # rapidocr loads the detector's session on first use
    assert detector.session_threads() == {"cls": 1, "det": 1}
    ocr.set_session_threads(0)
    detector = OrientationDetector()
    detector.detect(_text_image())
    assert detector.session_threads() == {"cls": 0, "det": 0}


def test_the_paddle_engine_gets_the_setting_through_its_engine_config(threads_setting, tmp_path_factory):
    import importlib.util

    if importlib.util.find_spec("paddleocr") is None:  # not imported here: the engine must import it first
        from tests.conftest import require_or_skip

        require_or_skip("paddleocr (extra 'paddle') is not installed")
    ocr.set_session_threads(1)
    engine = ocr.create_engine("paddleocr", tmp_path_factory.mktemp("paddle-models"))
    assert engine.session_threads() == {"det": 1, "rec": 1}


def test_a_negative_thread_count_is_refused():
    with pytest.raises(ValueError):
        ocr.set_session_threads(-1)
