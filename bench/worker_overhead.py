"""Per-job overhead of the three ways to run OCR jobs, measured on one small image.

    fork+preloaded     RQ ``Worker``: engine loaded in the parent, inherited by each work-horse
    fork+load-per-job  RQ ``Worker`` without preloading: each work-horse loads the models
    simple             RQ ``SimpleWorker``: no fork, the engine stays warm in the process

Each mode gets its own data dir, SQLite database and embedded Redis; N documents are
enqueued, then one ``baoquan``-style worker runs in burst mode in a subprocess. Per job:
``job_ms`` = RQ's started_at → ended_at (fork, model load if any, pipeline, database
commit); ``pipeline_ms`` = the extraction's own stage timings; ``overhead_ms`` = the
difference. The first job of each mode is reported separately (warm-up) and left out of
the steady-state figures.

    python -m bench.worker_overhead [--n 6] [--out bench/results/worker_overhead.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODES = {
    "fork+preloaded": {"simple": False, "preload": True},
    "fork+load-per-job": {"simple": False, "preload": False},
    "simple": {"simple": True, "preload": True},
}


def _image() -> bytes:
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 32)
    im = Image.new("RGB", (640, 200), "white")
    d = ImageDraw.Draw(im)
    d.text((20, 30), "姓名 王建国", font=font, fill="black")
    d.text((20, 110), "公民身份号码 110105198503071234", font=font, fill="black")
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _stats(xs: list[float]) -> dict:
    if not xs:
        return {}
    xs = sorted(xs)
    return {"mean": round(statistics.fmean(xs), 1), "median": round(statistics.median(xs), 1),
            "min": round(xs[0], 1), "max": round(xs[-1], 1)}


def run_mode(name: str, n: int, image: bytes) -> dict:
    from rq.job import Job

    from intake import cases
    from intake.auth import Principal
    from intake.db.models import Document, Extraction
    from intake.runtime import Runtime, start_embedded_redis
    from intake.settings import Settings
    from verify.types import Policy

    mode = MODES[name]
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{name.replace('+', '-')}-"))
    redis_client, url = start_embedded_redis(tmp / "redis")
    settings = Settings(data_dir=tmp, redis_url=url, env="development")
    rt = Runtime(settings)
    settings.ensure_dirs()
    rt.db.migrate()
    agent = Principal(0, "bench", "agent")
    with rt.db.session() as s:
        cases.import_policies(s, [Policy.model_validate(
            {"policy_no": "P1", "status": "in_force", "policyholder": {"name": "王建国"}})], "bench")
        case = cases.create_case(s, agent, "P1", "id_renewal")
        s.commit()
        # distinct bytes per document (one trailing byte) so each is its own stored file
        uploads = [cases.Upload(f"{i}.png", image + bytes([i])) for i in range(n)]
        docs = cases.add_documents(s, rt.store, agent, case, uploads, rt.enqueue_document)
    env = settings.child_env()
    env["BAOQUAN_BENCH_MODE"] = name
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.worker_overhead", "--child"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total_ms = (time.perf_counter() - t0) * 1000
    rows = []
    with rt.db.session() as s:
        for d in docs:
            job = Job.fetch(f"doc-{d.id}", connection=rt.redis)
            ex = s.query(Extraction).filter(Extraction.document_id == d.id).one()
            state = s.get(Document, d.id).state
            job_ms = (job.ended_at - job.started_at).total_seconds() * 1000
            pipe_ms = sum(float(v) for v in (ex.timings_ms or {}).values())
            rows.append({"doc": d.id, "state": state, "job_ms": job_ms, "pipeline_ms": pipe_ms,
                         "overhead_ms": job_ms - pipe_ms, "started_at": job.started_at.timestamp()})
    rows.sort(key=lambda r: r["started_at"])
    steady = rows[1:]
    redis_client.shutdown(nosave=True) if hasattr(redis_client, "shutdown") else None
    return {
        "mode": name,
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "jobs": n,
        "all_done": all(r["state"] == "done" for r in rows),
        "first_job_ms": round(rows[0]["job_ms"], 1),
        "first_job_overhead_ms": round(rows[0]["overhead_ms"], 1),
        "job_ms": _stats([r["job_ms"] for r in steady]),
        "pipeline_ms": _stats([r["pipeline_ms"] for r in steady]),
        "overhead_ms": _stats([r["overhead_ms"] for r in steady]),
        "worker_process_total_ms": round(total_ms, 1),
        "note": "steady state = all jobs but the first; overhead = job_ms - pipeline_ms",
    }


def child() -> int:
    from intake.processing import warm_up_engine
    from intake.runtime import get_runtime
    from queues.worker import run_worker

    mode = MODES[os.environ["BAOQUAN_BENCH_MODE"]]
    rt = get_runtime()
    settings = rt.settings
    rt.db.dispose()
    preload = (lambda: warm_up_engine(settings.ocr_engine, settings.models_dir)) if mode["preload"] else None
    run_worker(rt.redis, simple=mode["simple"], burst=True, preload=preload, logging_level="WARNING")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=6, help="jobs per mode (default 6)")
    p.add_argument("--out", default="bench/results/worker_overhead.json")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return child()
    image = _image()
    load_before = round(os.getloadavg()[0], 2)
    results = [run_mode(name, args.n, image) for name in MODES]
    out = {
        "benchmark": "worker_overhead",
        "image": {"width": 640, "height": 200, "bytes": len(image)},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_1min_before": load_before,
                    "note": "shared machine: other processes compete for the CPUs; compare modes within one run"},
        "results": results,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for r in results:
        print(f"{r['mode']:18} job median {r['job_ms'].get('median')} ms, pipeline {r['pipeline_ms'].get('median')} ms, "
              f"overhead median {r['overhead_ms'].get('median')} ms (first job {r['first_job_ms']} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
