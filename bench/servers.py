"""What the queue and upload benchmarks stand on: a real ``redis-server``, a fresh PostgreSQL
schema (or a SQLite file), and the figures every result file carries about the machine.

Why shared: ``bench.throughput`` and ``bench.upload_api`` must measure on the same kind of
servers as production (Debian's Redis, PostgreSQL), each run on empty ones, and both must
leave nothing behind (the schema is dropped, the server stopped) even when interrupted.
"""

from __future__ import annotations

import math
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["DEFAULT_PG_URL", "redis_server", "database", "percentile", "machine", "free_port", "stop", "baoquan_cmd",
           "wait_http_ok", "BenchSetupError"]

DEFAULT_PG_URL = os.environ.get("BAOQUAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


class BenchSetupError(RuntimeError):
    """A server the benchmark needs is missing or did not start; the message says which."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def baoquan_cmd() -> list[str]:
    """The ``baoquan`` command of this interpreter's environment (its script, else ``-m intake.cli``)."""
    script = Path(sys.executable).with_name("baoquan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "intake.cli"]


def wait_http_ok(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> float:
    """Wait until ``url`` answers 200 (``proc`` still running); returns the seconds it took.
    Raises ``BenchSetupError`` with the tail of ``log`` if the process exits or time runs out."""
    import httpx

    t0 = time.monotonic()
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - t0
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() - t0 > timeout:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise BenchSetupError(f"{url} did not answer (exit {proc.poll()}):\n{tail}")
        time.sleep(0.5)


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """Debian's ``redis-server`` on a free loopback port, without persistence; yields its URL."""
    exe = shutil.which("redis-server")
    if exe is None:
        raise BenchSetupError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise BenchSetupError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc)


@contextmanager
def database(url: str | None, workdir: Path) -> Iterator[str]:
    """A fresh schema on the PostgreSQL at ``url`` (dropped afterwards); a SQLite file when ``url`` is None."""
    if url is None:
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(url, connect_args={"connect_timeout": 3})
    schema = f"bench_{secrets.token_hex(5)}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        raise BenchSetupError(f"PostgreSQL at {url} is unusable ({type(exc).__name__}); "
                              "give --database-url or --sqlite") from exc
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def percentile(xs: list[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100); None for no data."""
    if not xs:
        return None
    s = sorted(xs)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


def machine() -> dict:
    """The machine and how busy it was: these figures are only comparable within one run."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "note": "shared machine: other processes compete for the CPUs; compare within one run"}


def serve_in_thread(app, timeout: float = 30):
    """``app`` under a real uvicorn in a daemon thread on a free loopback port:
    ``(server, thread, base_url)``; set ``server.should_exit`` and join the thread to stop."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"
