"""Concurrent uploads through a small connection pool: every database touch of an upload
runs in the thread pool, so the event loop never waits for a connection that only the
loop could release (a deadlock until the pool's timeout, then a 500: seen with 20
uploaders on the default pool of 15 when the rows read back after the commit were read on
the loop)."""

from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

pytestmark = pytest.mark.redis


def test_twelve_concurrent_uploads_through_a_pool_of_two_all_succeed(runtime, make_user, policy, make_png):
    from bench.servers import serve_in_thread
    from intake.app import create_app

    db = runtime.db
    small = create_engine(db.engine.url, pool_size=2, max_overflow=0, pool_timeout=5,
                          connect_args={"timeout": 30, "check_same_thread": False})
    db.engine, db.sessionmaker = small, sessionmaker(small, expire_on_commit=False)
    _, agent = make_user("agent", "agent1")
    server, thread, url = serve_in_thread(create_app(runtime=runtime), timeout=20)
    try:
        with httpx.Client(base_url=url, timeout=60) as http:
            ids = [http.post("/api/v1/cases", headers=agent,
                             json={"policy_no": policy["policy_no"], "type": "id_renewal"}).json()["id"]
                   for _ in range(12)]
        codes: list[int] = []
        lock = threading.Lock()
        start = threading.Barrier(len(ids))

        def upload(i: int, case_id: int) -> None:
            with httpx.Client(base_url=url, timeout=60) as http:
                start.wait()
                for k in range(3):
                    r = http.post(f"/api/v1/cases/{case_id}/documents", headers=agent,
                                  files={"files": (f"p{k}.png", make_png((f"姓名 王{i}{k}",)), "image/png")})
                    with lock:
                        codes.append(r.status_code)

        threads = [threading.Thread(target=upload, args=(i, c)) for i, c in enumerate(ids)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert codes == [201] * 36
    finally:
        server.should_exit = True
        thread.join(10)
        small.dispose()
