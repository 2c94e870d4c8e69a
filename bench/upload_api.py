"""Upload API latency with concurrent uploaders: p50/p95 of ``POST /cases/{id}/documents``.

An upload stores the file (encrypted, fsync'd), commits its row and audit event, and
enqueues a job: no OCR runs in the request, so no worker is needed. Each of U uploader
threads (default 20, its own HTTP connection and its own case) sends one warm-up upload,
then all start together and send N ÷ U uploads each, one at a time, every file distinct
(a counter appended after the JPEG's end, so the content-addressed store writes each).

Against a running app: ``--base-url URL --agent NAME:PASSWORD --clerk NAME:PASSWORD``.
Without ``--base-url`` the script starts its own: ``baoquan serve --no-worker`` on a free
port with a real ``redis-server`` and a fresh PostgreSQL schema (``--sqlite`` for a file),
made with ``baoquan migrate`` and ``baoquan user add``, all removed afterwards.

    python -m bench.upload_api [--uploaders 20] [--n 400] [--out bench/results/upload_api.json]

Validate with a tiny run (``--uploaders 3 --n 6 --out /tmp/upload_api.json``).
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
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from bench.servers import DEFAULT_PG_URL, database, free_port, machine, percentile, redis_server, stop

POLICY = {"policy_no": "P2019000123", "status": "in_force", "policyholder": {"name": "王建国"}}
DEFAULT_FILE = "samples/docs/id_back_01.jpg"


def _baoquan() -> list[str]:
    script = Path(sys.executable).with_name("baoquan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "intake.cli"]


@contextmanager
def own_app(db_url: str | None) -> Iterator[tuple[str, str, str]]:
    """``baoquan serve --no-worker`` on fresh servers; yields (base URL, agent, clerk) as NAME:PASSWORD."""
    from cryptography.fernet import Fernet

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-upload-")))
        redis_url = stack.enter_context(redis_server(tmp))
        url = stack.enter_context(database(db_url, tmp))
        data = tmp / "data"
        env = {**os.environ, "BAOQUAN_DATA": str(data), "REDIS_URL": redis_url, "DATABASE_URL": url,
               "BAOQUAN_FILE_KEY": Fernet.generate_key().decode(), "BAOQUAN_SECRET_KEY": secrets.token_urlsafe(48),
               "BAOQUAN_LOG_LEVEL": "WARNING"}
        subprocess.run(_baoquan() + ["migrate"], env=env, check=True, capture_output=True)
        users = {}
        for role in ("agent", "clerk"):
            password = secrets.token_urlsafe(12)
            subprocess.run(_baoquan() + ["user", "add", f"bench-{role}", "--role", role, "--password-stdin"],
                           env=env, input=password + "\n", text=True, check=True, capture_output=True)
            users[role] = f"bench-{role}:{password}"
        port = free_port()
        log = open(tmp / "serve.log", "wb")
        stack.callback(log.close)
        proc = subprocess.Popen(_baoquan() + ["serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
        stack.callback(stop, proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # serve warms the quick check's models before it listens
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("baoquan serve did not start:\n" + (tmp / "serve.log").read_text()[-3000:])
            time.sleep(0.5)
        yield base, users["agent"], users["clerk"]


def _token(http: httpx.Client, cred: str) -> dict[str, str]:
    name, password = cred.split(":", 1)
    r = http.post("/api/v1/auth/token", data={"username": name, "password": password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def load(base: str, agent: str, clerk: str, uploaders: int, n: int, photo: bytes) -> dict:
    """U threads × N/U uploads after one warm-up each; latencies in ms and statuses."""
    with httpx.Client(base_url=base, timeout=60) as http:
        a, c = _token(http, agent), _token(http, clerk)
        http.post("/api/v1/policies", json=[POLICY], headers=c).raise_for_status()
        case_ids = []
        for _ in range(uploaders):
            r = http.post("/api/v1/cases", headers=a, json={"policy_no": POLICY["policy_no"], "type": "id_renewal"})
            r.raise_for_status()
            case_ids.append(r.json()["id"])
    per = [n // uploaders + (i < n % uploaders) for i in range(uploaders)]
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(uploaders + 1)
    errors: list[str] = []

    def uploader(i: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            def send(k: int) -> tuple[float, int]:
                body = photo + f"#{i}-{k}".encode()  # after the JPEG's end: a distinct stored file
                t = time.perf_counter()
                r = http.post(f"/api/v1/cases/{case_ids[i]}/documents", headers=a,
                              files={"files": (f"p{i}-{k}.jpg", body, "image/jpeg")})
                return (time.perf_counter() - t) * 1000, r.status_code

            try:
                send(-1)  # warm-up: connection, token check, first write
            except httpx.HTTPError as exc:
                with lock:
                    errors.append(f"warm-up {type(exc).__name__}: {exc}")
            finally:
                barrier.wait()
            for k in range(per[i]):
                try:
                    ms, code = send(k)
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                with lock:
                    latencies.append(ms)
                    statuses[code] += 1

    threads = [threading.Thread(target=uploader, args=(i,)) for i in range(uploaders)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    r1 = lambda x: None if x is None else round(x, 1)  # noqa: E731
    return {"uploaders": uploaders, "uploads": n, "photo_bytes": len(photo), "wall_s": round(wall, 2),
            "uploads_per_s": round(len(latencies) / wall, 1) if wall else None,
            "latency_ms": {q: r1(percentile(latencies, int(q[1:]))) for q in ("p50", "p95", "p99")}
            | {"max": r1(max(latencies, default=None))},
            "statuses": {str(k): v for k, v in sorted(statuses.items())}, "transport_errors": errors[:10]}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--uploaders", type=int, default=20, help="concurrent uploaders (default 20)")
    p.add_argument("--n", type=int, default=400, help="timed uploads in all (default 400)")
    p.add_argument("--file", default=DEFAULT_FILE, help=f"the photo to upload (default {DEFAULT_FILE})")
    p.add_argument("--base-url", help="a running app (else one is started here)")
    p.add_argument("--agent", help="NAME:PASSWORD of an agent of the running app")
    p.add_argument("--clerk", help="NAME:PASSWORD of a clerk of the running app (imports the test policy)")
    p.add_argument("--database-url", default=DEFAULT_PG_URL, help="PostgreSQL for the app started here")
    p.add_argument("--sqlite", action="store_true", help="the app started here uses a SQLite file")
    p.add_argument("--out", default="bench/results/upload_api.json")
    args = p.parse_args(argv)
    if args.base_url and not (args.agent and args.clerk):
        p.error("--base-url needs --agent and --clerk (NAME:PASSWORD)")
    photo = Path(args.file).read_bytes()
    before = machine()
    if args.base_url:
        result = load(args.base_url, args.agent, args.clerk, args.uploaders, args.n, photo)
        app = {"base_url": args.base_url}
    else:
        with own_app(None if args.sqlite else args.database_url) as (base, agent, clerk):
            result = load(base, agent, clerk, args.uploaders, args.n, photo)
        app = {"started_here": "baoquan serve --no-worker", "database": "sqlite" if args.sqlite else "postgresql",
               "redis": "redis-server"}
    out = {"benchmark": "upload_api", "machine": before, "app": app, "file": Path(args.file).name, **result}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{result['uploads']} uploads by {result['uploaders']} uploaders: p50 {result['latency_ms']['p50']} ms, "
          f"p95 {result['latency_ms']['p95']} ms, {result['uploads_per_s']}/s, statuses {result['statuses']}; "
          f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
