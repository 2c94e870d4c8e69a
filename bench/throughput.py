"""Documents per minute through the real queue with W `baoquan worker` processes.

For each W (default 1 and 2): a fresh PostgreSQL schema (or SQLite with ``--sqlite``), a
real ``redis-server``, N ID-card photos stored and recorded as cases of two documents; W
workers are started with ``BAOQUAN_OCR_THREADS`` = cores ÷ W (ONNX Runtime intra-op
threads per session) and, once every one has loaded and warmed its engine (registered with
RQ), all N jobs are enqueued at once. Reported per run:

- documents per minute: N ÷ (last job's end − first job's enqueue);
- enqueue → start wait p50/p95 (a burst: the wait is the backlog, it grows with N) and job
  time p50/p95 (RQ's start → end: fork, read, pipeline, commit);
- per worker: peak RSS of the worker process, of its work-horses (forked per job; shared
  pages counted in each), and peak PSS of the whole tree (what it really costs the host);
- the threads each worker's ONNX Runtime sessions actually got (from the worker's log line
  ``asked N, got {...}``), so the setting is checked, not assumed.

    python -m bench.throughput [--n 120] [--workers 1,2] [--out bench/results/throughput.json]

Validate with a tiny run (``--n 6 --out /tmp/throughput.json``); measure when the machine
is quiet — the figures are only comparable within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.servers import DEFAULT_PG_URL, database, machine, percentile, redis_server, stop

DEFAULT_DOCS = "samples/docs/id_*_0[1-8].jpg"  # the committed ID-card photos (1600×1200 and card-sized)
THREADS_LINE = re.compile(r"asked (\d+), got (\{[^}]*\})")
POLICY = {"policy_no": "P2019000123", "status": "in_force", "policyholder": {"name": "王建国"}}


def _baoquan() -> list[str]:
    script = Path(sys.executable).with_name("baoquan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "intake.cli"]


class MemorySampler(threading.Thread):
    """Peak RSS and PSS of each worker's process tree, sampled every ``interval`` seconds."""

    def __init__(self, pids: list[int], interval: float = 0.25):
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.peaks = {pid: {"worker_rss": 0, "horse_rss": 0, "tree_pss": 0} for pid in pids}
        self.stopped = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stopped.wait(self.interval):
            for pid in self.pids:
                try:
                    main = psutil.Process(pid)
                    kids = main.children(recursive=True)
                    peak = self.peaks[pid]
                    peak["worker_rss"] = max(peak["worker_rss"], main.memory_info().rss)
                    pss = main.memory_full_info().pss
                    for kid in kids:
                        try:
                            peak["horse_rss"] = max(peak["horse_rss"], kid.memory_info().rss)
                            pss += kid.memory_full_info().pss
                        except (psutil.NoSuchProcess, psutil.ZombieProcess):
                            continue  # a work-horse that just finished its job
                    peak["tree_pss"] = max(peak["tree_pss"], pss)
                except psutil.NoSuchProcess:
                    continue  # the worker stopped (end of the run)

    def result(self) -> list[dict]:
        mb = 1024 * 1024
        return [{k: round(v / mb, 1) for k, v in p.items()} for p in self.peaks.values()]


def _prepare(rt, files: list[Path], n: int) -> list[int]:
    """N documents (cases of two), stored and recorded, not yet enqueued; returns their ids."""
    from intake import cases
    from intake.auth import Principal
    from verify.types import Policy

    agent = Principal(0, "bench", "agent")
    blobs = [f.read_bytes() for f in files]
    ids: list[int] = []
    with rt.db.session() as s:
        cases.import_policies(s, [Policy.model_validate(POLICY)], "bench")
        s.commit()
        for start in range(0, n, 2):
            case = cases.create_case(s, agent, POLICY["policy_no"], "id_renewal")
            s.commit()
            uploads = [cases.Upload(files[i % len(files)].name, blobs[i % len(files)])
                       for i in range(start, min(start + 2, n))]
            ids += [d.id for d in cases.add_documents(s, rt.store, agent, case, uploads, None)]
    return ids


def run_once(workers: int, threads: int, files: list[Path], n: int, db_url: str | None, simple: bool,
             timeout: float) -> dict:
    from redis import Redis
    from rq import Worker
    from rq.job import Job
    from sqlalchemy import func, select

    from intake.db.models import Document, Extraction
    from intake.runtime import Runtime
    from intake.settings import Settings
    from queues.enqueue import job_id_for

    tmp = Path(tempfile.mkdtemp(prefix=f"bench-throughput-w{workers}-"))
    procs: list[subprocess.Popen] = []
    try:
        with redis_server(tmp) as redis_url, database(db_url, tmp) as url:
            settings = Settings(BAOQUAN_DATA=tmp / "data", REDIS_URL=redis_url, DATABASE_URL=url,
                                BAOQUAN_OCR_THREADS=threads)
            rt = Runtime(settings)
            settings.ensure_dirs()
            rt.db.migrate()
            doc_ids = _prepare(rt, files, n)
            env = settings.child_env()
            env.update(BAOQUAN_FILE_KEY=settings.file_key, BAOQUAN_LOG_LEVEL="INFO")
            logs = [tmp / f"worker{i}.log" for i in range(workers)]
            for log_path in logs:
                with open(log_path, "wb") as log:
                    cmd = _baoquan() + ["worker", "--data", str(settings.data)] + (["--simple"] if simple else [])
                    procs.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT))
            redis = Redis.from_url(redis_url)
            t_start = time.monotonic()
            while len(Worker.all(connection=redis)) < workers:  # registered = engine loaded and warmed
                if any(p.poll() is not None for p in procs) or time.monotonic() - t_start > 300:
                    raise RuntimeError("a worker did not start:\n" + "\n".join(p.read_text()[-2000:] for p in logs))
                time.sleep(0.2)
            startup_s = time.monotonic() - t_start
            sampler = MemorySampler([p.pid for p in procs])
            sampler.start()
            for doc_id in doc_ids:
                rt.enqueue_document(doc_id)
            t0 = time.monotonic()
            while True:
                with rt.db.session() as s:
                    final = s.scalar(select(func.count()).select_from(Document)
                                     .where(Document.state.in_(("done", "failed"))))
                if final >= n:
                    break
                if time.monotonic() - t0 > timeout or any(p.poll() is not None for p in procs):
                    raise RuntimeError(f"{final}/{n} documents read after {time.monotonic() - t0:.0f} s")
                time.sleep(0.25)
            sampler.stopped.set()
            sampler.join()
            jobs = [Job.fetch(job_id_for(d), connection=redis) for d in doc_ids]
            with rt.db.session() as s:
                docs = s.execute(select(Document)).scalars().all()
                timings = [sum(float(v) for v in (t or {}).values())
                           for t in s.execute(select(Extraction.timings_ms)).scalars()]
            redis.close()
            rt.close()
            for p in procs:
                stop(p, 60)
            threads_got = [m.groups() for m in (THREADS_LINE.search(p.read_text(errors="replace")) for p in logs) if m]
    finally:
        for p in procs:
            stop(p, 60)
        shutil.rmtree(tmp, ignore_errors=True)

    span = (max(j.ended_at for j in jobs) - min(j.enqueued_at for j in jobs)).total_seconds()
    waits = [(j.started_at - j.enqueued_at).total_seconds() for j in jobs]
    job_s = [(j.ended_at - j.started_at).total_seconds() for j in jobs]
    got = [json.loads(g.replace("'", '"')) for _, g in threads_got]
    r2 = lambda x: None if x is None else round(x, 2)  # noqa: E731
    return {
        "workers": workers, "simple": simple, "ocr_threads_per_worker": threads, "documents": n,
        "worker_startup_s": round(startup_s, 1),
        "documents_per_minute": round(n / span * 60, 1), "span_s": round(span, 1),
        "wait_s": {"p50": r2(percentile(waits, 50)), "p95": r2(percentile(waits, 95)), "max": r2(max(waits))},
        "job_s": {"p50": r2(percentile(job_s, 50)), "p95": r2(percentile(job_s, 95))},
        "pipeline_ms_p50": r2(percentile(timings, 50)),
        "done": sum(d.state == "done" for d in docs), "failed": sum(d.state == "failed" for d in docs),
        "retried": sum(d.attempts > 1 for d in docs),
        "peak_memory_mb": sampler.result(),
        "onnx_threads_got": got,
        "onnx_threads_took_effect": len(got) == workers and all(set(g.values()) == {threads} for g in got),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=120, help="documents per run (default 120)")
    p.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated (default 1,2)")
    p.add_argument("--threads", type=int, default=0,
                   help="ONNX Runtime threads per worker (default: cores ÷ workers, at least 1)")
    p.add_argument("--docs", default=DEFAULT_DOCS, help=f"glob of the photos to cycle through (default {DEFAULT_DOCS})")
    p.add_argument("--database-url", default=DEFAULT_PG_URL, help="PostgreSQL to make a fresh schema on")
    p.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    p.add_argument("--simple", action="store_true", help="non-forking workers (`baoquan worker --simple`)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds a run may take (default 1800)")
    p.add_argument("--out", default="bench/results/throughput.json")
    args = p.parse_args(argv)
    # front and back of the same card next to each other: each case gets a pair
    files = sorted(Path().glob(args.docs), key=lambda f: (re.findall(r"\d+", f.name), f.name))
    if not files:
        p.error(f"no photos match {args.docs}")
    cores = os.cpu_count() or 1
    before = machine()
    runs = []
    for w in (int(x) for x in args.workers.split(",")):
        threads = args.threads or max(1, cores // w)
        print(f"== {w} worker(s), {threads} ONNX Runtime thread(s) each, {args.n} documents", file=sys.stderr)
        runs.append(run_once(w, threads, files, args.n, None if args.sqlite else args.database_url, args.simple,
                             args.timeout))
        r = runs[-1]
        print(f"   {r['documents_per_minute']} documents/min; wait p50 {r['wait_s']['p50']} s, p95 {r['wait_s']['p95']} s; "
              f"peak memory {r['peak_memory_mb']}; threads took effect: {r['onnx_threads_took_effect']}",
              file=sys.stderr)
    by_w = {r["workers"]: r["documents_per_minute"] for r in runs}
    out = {"benchmark": "throughput", "machine": before, "documents": [f.name for f in files],
           "database": "sqlite" if args.sqlite else "postgresql", "runs": runs,
           "scaling_2_over_1": round(by_w[2] / by_w[1], 2) if 1 in by_w and 2 in by_w else None}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
