"""A whole service for the browser tests, once per module: data directory, embedded Redis,
the app under uvicorn (in a thread), a real ``baoquan worker`` process reading uploads with
the real OCR pipeline, the sample policies, one user per role, and headless Chromium
(Debian's, /usr/bin/chromium — never downloaded).

Without Chromium or Playwright the tests skip — and fail under ``BAOQUAN_REQUIRE_ALL=1``.
Screenshots of every step go to tests/browser/screenshots/ (ignored by git); the three the
README shows are written to docs/screenshots/ when missing, or always with
``BAOQUAN_SCREENSHOTS=1``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import stop_process, free_port, require_or_skip

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SHOTS = Path(__file__).with_name("screenshots")
DOC_SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("BAOQUAN_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 860}, "device_scale_factor": 1}
DOC_SHOT_MAX_BYTES = 300 * 1024


@dataclass
class Stack:
    url: str
    runtime: object
    worker: subprocess.Popen
    worker_log: Path
    browser: object
    state: dict = field(default_factory=dict)
    shots: list = field(default_factory=list)

    def session(self):
        return self.runtime.db.session()

    def context(self, kind: str = "desktop"):
        return self.browser.new_context(**(PHONE if kind == "phone" else DESKTOP), locale="zh-CN")

    def login(self, page, name: str) -> None:
        page.goto(self.url + "/login")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")

    def wait_case(self, case_id: int, states: tuple[str, ...], timeout: float = 120, docs_done: int | None = None):
        """Poll the database until the case is in one of ``states`` (and, if asked, that many
        documents are read); the worker must stay alive meanwhile."""
        from intake.db.models import Case, Document
        from sqlalchemy import select

        deadline = time.monotonic() + timeout
        while True:
            assert self.worker.poll() is None, "worker exited:\n" + self.worker_log.read_text(errors="replace")[-3000:]
            with self.session() as s:
                case = s.get(Case, case_id)
                done = sum(1 for d in s.execute(select(Document).where(Document.case_id == case_id)).scalars()
                           if d.state in ("done", "failed"))
                if case.state in states and (docs_done is None or done >= docs_done):
                    return case.state
            if time.monotonic() > deadline:
                raise AssertionError(f"case {case_id} is {case.state} with {done} documents read after {timeout} s; "
                                     + self.worker_log.read_text(errors="replace")[-2000:])
            time.sleep(0.5)

    def shot(self, page, name: str, doc_name: str | None = None, full_page: bool = True) -> Path:
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"{len(self.shots) + 1:02d}_{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        self.shots.append(path)
        if doc_name:
            target = DOC_SHOTS / doc_name
            if os.environ.get("BAOQUAN_SCREENSHOTS") == "1" or not target.exists():
                save_small_png(path.read_bytes(), target)
        return path


def save_small_png(png: bytes, target: Path, max_bytes: int = DOC_SHOT_MAX_BYTES) -> None:
    """A README screenshot under ``max_bytes``: as taken if it fits, else a 256-colour
    palette (octree keeps the thin coloured boxes), scaled down if still too big."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    if len(png) <= max_bytes:
        target.write_bytes(png)
        return
    im = Image.open(io.BytesIO(png)).convert("RGB")
    scale = 1.0
    while True:
        small = im.resize((int(im.width * scale), int(im.height * scale)), Image.LANCZOS) if scale < 1 else im
        buf = io.BytesIO()
        small.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(buf, "PNG", optimize=True)
        if buf.tell() <= max_bytes or scale < 0.3:
            target.write_bytes(buf.getvalue())
            return
        scale *= 0.85


def _worker_cmd() -> list[str]:
    script = Path(sys.executable).with_name("baoquan")
    exe = str(script) if script.exists() else shutil.which("baoquan")
    return [exe] if exe else [sys.executable, "-m", "intake.cli"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory, _redis_server):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        require_or_skip(f"playwright is not installed ({exc})")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        require_or_skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")

    import redis
    import uvicorn

    from intake import cases
    from intake.app import create_app
    from intake.auth import create_user
    from intake.runtime import Runtime, reset_runtime
    from intake.settings import Settings
    from verify.types import load_policies_json

    redis.Redis.from_url(_redis_server).flushdb()
    for old in SHOTS.glob("*.png"):  # this run's steps only
        old.unlink()
    tmp = tmp_path_factory.mktemp("browser")
    mp = pytest.MonkeyPatch()
    mp.setenv("BAOQUAN_DATA", str(tmp / "data"))
    mp.setenv("REDIS_URL", _redis_server)
    mp.setenv("BAOQUAN_JOB_RETRY_INTERVALS", "0")
    mp.delenv("DATABASE_URL", raising=False)
    settings = Settings()
    settings.ensure_dirs()
    rt = Runtime(settings)
    rt.db.migrate()
    reset_runtime(rt)
    with rt.db.session() as s:
        cases.import_policies(s, load_policies_json((SAMPLES / "policies.json").read_text(encoding="utf-8")), "test")
        for role, name in (("agent", "agent1"), ("clerk", "clerk1"), ("auditor", "auditor1")):
            create_user(s, name, role, PASSWORD)
        s.commit()

    env = settings.child_env()
    env["REDIS_URL"] = rt.redis_url
    env.pop("BAOQUAN_REQUIRE_ALL", None)
    log_path = tmp / "worker.log"
    cleanup: list = []  # undone in reverse order, whatever fails on the way
    try:
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(_worker_cmd() + ["worker", "--data", str(settings.data)], env=env,
                                      stdout=log, stderr=subprocess.STDOUT)
        cleanup.append(lambda: stop_process(worker))

        from intake.api.routes.quick_check import warm_up

        warm_up(settings)  # the quick check's OCR models load while the browser starts
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(runtime=rt), host="127.0.0.1", port=port,
                                               log_level="warning", log_config=None))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        cleanup.append(lambda: (setattr(server, "should_exit", True), thread.join(10)))
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)

        pw = sync_playwright().start()
        cleanup.append(pw.stop)
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except Exception as exc:
            require_or_skip(f"Chromium at {CHROMIUM} does not start: {type(exc).__name__}: {exc}")
        cleanup.append(browser.close)
        yield Stack(f"http://127.0.0.1:{port}", rt, worker, log_path, browser)
    finally:
        for undo in reversed(cleanup):
            try:
                undo()
            except Exception:  # tear the rest down regardless
                pass
        reset_runtime(None)
        rt.db.dispose()
        mp.undo()
