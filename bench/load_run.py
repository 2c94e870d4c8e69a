"""The load run on loopback: N documents through HTTP into the whole system, every case to
``ready_for_review``, nothing lost or doubled; throughput, queue wait and upload latency.

The system is started as a deployment runs it, all on this machine: a fresh PostgreSQL
schema (``--sqlite`` for a file), Debian's ``redis-server``, the API (``baoquan serve
--no-worker``) and W ``baoquan worker`` processes (``BAOQUAN_OCR_THREADS`` = cores ÷ W),
all started together on the empty schema (their start-up migrations queue on the
migration lock: ``intake.db.migrate``). Once the API answers and every worker has
registered with RQ (engine loaded and warmed), a bounded client — C threads, so at most C
requests in flight — works through the cases as agents would: create the case, upload its
photos one request each, submit. Cases alternate between ``id_renewal`` (ID card front and
back) and ``bank_account_change`` (front, back and bank card); the photos are the
committed ``samples/docs`` ones, reused across cases, each upload made distinct by a
counter after the JPEG's end (so the store writes, and the workers read, every one).

Checked at the end, from the database and RQ (the run fails if any check fails):
every upload answered 201 (a 503 is retried after its Retry-After, as a client should);
exactly N document rows, the ones the uploads returned; every case ``ready_for_review``;
each document exactly one reading (extraction row) and one ``document.extracted`` event
(none read twice) and no ``document.failed``; no job in RQ's failed registry.

Reported: documents per minute (first enqueue → last job end, and first upload → last
case ready), enqueue → start wait p50/p95 (RQ's times, collected as jobs finish, so
``JOB_RESULT_TTL`` cannot expire them), job time, upload latency p50/p95, peak memory per
worker, the machine's load.

    python -m bench.load_run [--n 500] [--clients 8] [--workers 2] [--out bench/results/load_run.json]

Validate with a tiny run (``--n 8 --out /tmp/load_run.json``); the figures are only
comparable within one run on this shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.servers import (DEFAULT_PG_URL, BenchSetupError, baoquan_cmd, database, free_port, machine, percentile,
                           redis_server, stop, wait_http_ok)
from bench.throughput import THREADS_LINE, MemorySampler

DOCS = Path("samples/docs")
PAIRS = ("01", "02", "03", "04", "05", "06", "07", "08")  # id_front_XX.jpg with id_back_XX.jpg
BANKS = ("bank_01.jpg", "bank_04.jpg", "bank_07.jpg")
POLICY = {
    "policy_no": "P2019000123", "status": "in_force", "product": "鑫享人生终身寿险",
    "policyholder": {"name": "王建国", "id_number": "110105198503071234", "birth_date": "1985-03-07", "sex": "男",
                     "phone": "13800138000", "address": "北京市朝阳区建国路1号"},
    "payment": {"bank_name": "中国工商银行", "account_number": "6222021234567890128", "account_holder": "王建国",
                "frequency": "annual"},
}
MAX_503_RETRIES = 5  # an upload refused with 503 (store or database not answering) is sent again, at most this often


def plan_cases(n: int) -> list[tuple[str, list[str]]]:
    """Cases as agents bring them, ``n`` photos in all: (type, photo file names)."""
    plan: list[tuple[str, list[str]]] = []
    left, i = n, 0
    while left > 0:
        pair = PAIRS[i % len(PAIRS)]
        photos = [f"id_front_{pair}.jpg", f"id_back_{pair}.jpg"]
        kind = "id_renewal"
        if i % 2:
            kind = "bank_account_change"
            photos.append(BANKS[(i // 2) % len(BANKS)])
        photos = photos[:left]
        plan.append((kind, photos))
        left -= len(photos)
        i += 1
    return plan


class Client:
    """The bounded client: C threads sharing one connection pool of C connections."""

    def __init__(self, base: str, clients: int, agent: dict, photos: dict[str, bytes]):
        self.http = httpx.Client(base_url=base, timeout=120,
                                 limits=httpx.Limits(max_connections=clients, max_keepalive_connections=clients))
        self.clients, self.agent, self.photos = clients, agent, photos
        self.lock = threading.Lock()
        self.upload_ms: list[float] = []
        self.statuses: Counter = Counter()
        self.retried_503 = 0
        self.errors: list[str] = []
        self.document_ids: list[int] = []
        self.case_ids: list[int] = []
        self.first_upload: float | None = None

    def _upload(self, case_id: int, name: str, body: bytes) -> int | None:
        for _ in range(MAX_503_RETRIES + 1):
            t = time.perf_counter()
            with self.lock:
                self.first_upload = self.first_upload or time.monotonic()
            r = self.http.post(f"/api/v1/cases/{case_id}/documents", headers=self.agent,
                               files={"files": (name, body, "image/jpeg")})
            ms = (time.perf_counter() - t) * 1000
            with self.lock:
                self.statuses[r.status_code] += 1
                if r.status_code == 201:
                    self.upload_ms.append(ms)
            if r.status_code != 503:
                break
            with self.lock:
                self.retried_503 += 1
            time.sleep(float(r.headers.get("retry-after", "5")))
        if r.status_code != 201:
            with self.lock:
                self.errors.append(f"upload to case {case_id}: {r.status_code} {r.text[:200]}")
            return None
        [doc] = r.json()
        return int(doc["id"])

    def case(self, index: int, kind: str, photos: list[str]) -> None:
        """One agent's case: create, upload each photo (one request each), submit."""
        try:
            r = self.http.post("/api/v1/cases", headers=self.agent, json={"policy_no": POLICY["policy_no"],
                                                                          "type": kind})
            r.raise_for_status()
            case_id = int(r.json()["id"])
            ids = []
            for k, name in enumerate(photos):
                body = self.photos[name] + f"#load-{index}-{k}".encode()  # after the JPEG's end: a distinct file
                doc_id = self._upload(case_id, name, body)
                if doc_id is not None:
                    ids.append(doc_id)
            self.http.post(f"/api/v1/cases/{case_id}/submit", headers=self.agent).raise_for_status()
            with self.lock:
                self.case_ids.append(case_id)
                self.document_ids += ids
        except httpx.HTTPError as exc:
            with self.lock:
                self.errors.append(f"case {index}: {type(exc).__name__}: {exc}")

    def push(self, plan: list[tuple[str, list[str]]]) -> float:
        t0 = time.monotonic()
        with ThreadPoolExecutor(self.clients) as pool:
            for f in [pool.submit(self.case, i, kind, photos) for i, (kind, photos) in enumerate(plan)]:
                f.result()
        return time.monotonic() - t0


def _token(http: httpx.Client, name: str, password: str) -> dict[str, str]:
    r = http.post("/api/v1/auth/token", data={"username": name, "password": password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _job_times(redis, doc_ids: list[int]) -> dict[int, tuple[float, float, float]]:
    """RQ's (enqueued, started, ended) of each finished job, in seconds since the epoch."""
    from rq.job import Job

    from queues.enqueue import job_id_for

    out = {}
    jobs = Job.fetch_many([job_id_for(d) for d in doc_ids], connection=redis)
    for doc_id, job in zip(doc_ids, jobs):
        if job is not None and job.ended_at is not None and job.started_at is not None:
            out[doc_id] = (job.enqueued_at.timestamp(), job.started_at.timestamp(), job.ended_at.timestamp())
    return out


def run(n: int, clients: int, workers: int, threads: int, db_url: str | None, timeout: float) -> dict:
    from cryptography.fernet import Fernet
    from redis import Redis
    from rq import Worker
    from rq.registry import FailedJobRegistry
    from sqlalchemy import func, select

    from intake.db.models import AuditEvent, Case, Document, Extraction
    from intake.db.session import make_engine
    from queues.enqueue import get_queue

    plan = plan_cases(n)
    photos = {name: (DOCS / name).read_bytes() for _, names in plan for name in names}
    procs: list[subprocess.Popen] = []
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-load-")))
        redis_url = stack.enter_context(redis_server(tmp))
        url = stack.enter_context(database(db_url, tmp))
        env = {**os.environ, "BAOQUAN_DATA": str(tmp / "data"), "REDIS_URL": redis_url, "DATABASE_URL": url,
               "BAOQUAN_FILE_KEY": Fernet.generate_key().decode(), "BAOQUAN_SECRET_KEY": secrets.token_urlsafe(48),
               "BAOQUAN_LOG_LEVEL": "INFO", "BAOQUAN_OCR_THREADS": str(threads)}

        def stop_all():
            for p in procs:
                stop(p, 60)

        stack.callback(stop_all)
        port = free_port()
        logs = [tmp / "serve.log"] + [tmp / f"worker{i}.log" for i in range(workers)]
        cmds = [baoquan_cmd() + ["serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)]]
        cmds += [baoquan_cmd() + ["worker"] for _ in range(workers)]
        t_start = time.monotonic()
        for cmd, log_path in zip(cmds, logs):  # all at once, on the empty schema
            with open(log_path, "wb") as log:
                procs.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT))
        base = f"http://127.0.0.1:{port}"
        api_up_s = wait_http_ok(f"{base}/healthz", procs[0], logs[0], timeout=300)
        redis = Redis.from_url(redis_url)
        stack.callback(redis.close)
        while len(Worker.all(connection=redis)) < workers:  # registered = engine loaded and warmed
            dead = [log for p, log in zip(procs, logs) if p.poll() is not None]
            if dead or time.monotonic() - t_start > 300:
                raise BenchSetupError("a worker did not start:\n" + "\n".join(
                    f"{log.name}: {log.read_text(errors='replace')[-2000:]}" for log in (dead or logs[1:])))
            time.sleep(0.5)
        workers_up_s = time.monotonic() - t_start
        users = {}
        for role in ("agent", "clerk"):
            password = secrets.token_urlsafe(12)
            subprocess.run(baoquan_cmd() + ["user", "add", f"load-{role}", "--role", role, "--password-stdin"],
                           env=env, input=password + "\n", text=True, check=True, capture_output=True)
            users[role] = (f"load-{role}", password)
        with httpx.Client(base_url=base, timeout=60) as http:
            agent, clerk = _token(http, *users["agent"]), _token(http, *users["clerk"])
            http.post("/api/v1/policies", json=[POLICY], headers=clerk).raise_for_status()

        sampler = MemorySampler([p.pid for p in procs[1:]])
        sampler.start()
        client = Client(base, clients, agent, photos)
        stack.callback(client.http.close)
        push_s = client.push(plan)

        engine = make_engine(url)
        stack.callback(engine.dispose)
        times: dict[int, tuple[float, float, float]] = {}
        while True:
            with engine.connect() as conn:
                states = dict(conn.execute(select(Case.state, func.count()).group_by(Case.state)).all())
                done = list(conn.execute(select(Document.id).where(Document.state.in_(("done", "failed")))).scalars())
            missing = [d for d in done if d not in times]
            if missing:
                times.update(_job_times(redis, missing))
            if states.get("ready_for_review", 0) >= len(client.case_ids) and len(done) >= len(client.document_ids):
                break
            died = [log.name for p, log in zip(procs, logs) if p.poll() is not None]
            if died or time.monotonic() - t_start > timeout:
                raise RuntimeError(f"cases {states}, {len(done)}/{len(client.document_ids)} documents read; "
                                   f"stopped: {died or 'none'} (timeout {timeout:.0f} s)")
            time.sleep(1)
        all_ready = time.monotonic()
        times.update(_job_times(redis, [d for d in done if d not in times]))
        sampler.stopped.set()
        sampler.join()

        with engine.connect() as conn:
            docs = conn.execute(select(Document.id, Document.state, Document.attempts)).all()
            readings = Counter(conn.execute(select(Extraction.document_id)).scalars())
            extracted = Counter(int(o) for o in conn.execute(
                select(AuditEvent.object_id).where(AuditEvent.action == "document.extracted")).scalars())
            failed_events = conn.execute(select(func.count()).select_from(AuditEvent)
                                         .where(AuditEvent.action == "document.failed")).scalar()
            case_states = Counter(conn.execute(select(Case.state)).scalars())
        rq_failed = len(FailedJobRegistry(queue=get_queue(redis)))
        threads_got = [json.loads(m.group(2).replace("'", '"')) for m in
                       (THREADS_LINE.search(log.read_text(errors="replace")) for log in logs[1:]) if m]

    ids = [d.id for d in docs]
    checks = {
        "every_upload_201": client.statuses.get(201, 0) == n and not client.errors,
        "documents_recorded_exactly_once": len(ids) == n and sorted(ids) == sorted(client.document_ids),
        "every_case_ready_for_review": case_states == Counter({"ready_for_review": len(plan)}),
        "each_document_one_reading": sorted(readings) == sorted(ids) and set(readings.values()) == {1},
        "each_document_one_extracted_event": all(extracted.get(i) == 1 for i in ids) and sum(extracted.values()) == n,
        "no_document_failed": failed_events == 0 and all(d.state == "done" for d in docs),
        "no_job_in_rq_failed_registry": rq_failed == 0,
        "every_job_timed": len(times) == n,
    }
    enq = [t[0] for t in times.values()]
    waits = [t[1] - t[0] for t in times.values()]
    job_s = [t[2] - t[1] for t in times.values()]
    span = max(t[2] for t in times.values()) - min(enq) if times else None
    end_to_end = all_ready - client.first_upload if client.first_upload else None
    r2 = lambda x: None if x is None else round(x, 2)  # noqa: E731
    return {
        "documents": n, "cases": len(plan), "clients": clients, "workers": workers,
        "ocr_threads_per_worker": threads,
        "case_mix": dict(Counter(kind for kind, _ in plan)),
        "startup_s": {"api": round(api_up_s, 1), "all_workers_registered": round(workers_up_s, 1)},
        "push_s": round(push_s, 1),
        "documents_per_minute": {"queue": round(n / span * 60, 1) if span else None,
                                 "end_to_end": round(n / end_to_end * 60, 1) if end_to_end else None},
        "span_s": {"queue": r2(span), "end_to_end": r2(end_to_end)},
        "queue_wait_s": {"p50": r2(percentile(waits, 50)), "p95": r2(percentile(waits, 95)),
                         "max": r2(max(waits, default=None))},
        "job_s": {"p50": r2(percentile(job_s, 50)), "p95": r2(percentile(job_s, 95))},
        "upload_ms": {"p50": r2(percentile(client.upload_ms, 50)), "p95": r2(percentile(client.upload_ms, 95)),
                      "max": r2(max(client.upload_ms, default=None))},
        "upload_statuses": {str(k): v for k, v in sorted(client.statuses.items())},
        "upload_503_retried": client.retried_503, "client_errors": client.errors[:10],
        "documents_read_more_than_once": sum(d.attempts > 1 for d in docs),
        "peak_memory_mb": sampler.result(),
        "onnx_threads_got": threads_got,
        "onnx_threads_took_effect": len(threads_got) == workers and all(set(g.values()) == {threads}
                                                                        for g in threads_got),
        "checks": checks, "ok": all(checks.values()),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=500, help="documents in all (default 500)")
    p.add_argument("--clients", type=int, default=8, help="requests in flight at most (default 8)")
    p.add_argument("--workers", type=int, default=2, help="`baoquan worker` processes (default 2)")
    p.add_argument("--threads", type=int, default=0,
                   help="ONNX Runtime threads per worker (default: cores ÷ workers, at least 1)")
    p.add_argument("--database-url", default=DEFAULT_PG_URL, help="PostgreSQL to make a fresh schema on")
    p.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    p.add_argument("--timeout", type=float, default=7200, help="seconds the whole run may take (default 7200)")
    p.add_argument("--out", default="bench/results/load_run.json")
    args = p.parse_args(argv)
    if args.n < 1 or args.clients < 1 or args.workers < 1:
        p.error("--n, --clients and --workers must be at least 1")
    threads = args.threads or max(1, (os.cpu_count() or 1) // args.workers)
    before = machine()
    print(f"== {args.n} documents, {args.clients} in flight, {args.workers} worker(s) × {threads} ONNX Runtime "
          "thread(s)", file=sys.stderr)
    result = run(args.n, args.clients, args.workers, threads, None if args.sqlite else args.database_url,
                 args.timeout)
    out = {"benchmark": "load_run", "machine": before, "database": "sqlite" if args.sqlite else "postgresql",
           **result}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    dpm, wait, up = result["documents_per_minute"], result["queue_wait_s"], result["upload_ms"]
    print(f"   {dpm['queue']} documents/min through the queue ({dpm['end_to_end']} end to end); queue wait p50 "
          f"{wait['p50']} s, p95 {wait['p95']} s; upload p50 {up['p50']} ms, p95 {up['p95']} ms", file=sys.stderr)
    print(f"   checks: {result['checks']}", file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
