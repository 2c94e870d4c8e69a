"""The body limit over a real socket: the server answers 413 long before the client is done."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.redis

LIMIT = 64 * 1024


def _read_status(sock) -> int:
    data = b""
    sock.settimeout(10)
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


@pytest.fixture
def small_limit(runtime):
    runtime.settings.max_upload_bytes = LIMIT  # before live_server builds the app


@pytest.mark.parametrize("chunked", [True, False], ids=["no-content-length", "content-length"])
def test_oversize_upload_is_refused_while_streaming(runtime, small_limit, make_user, policy, live_server, chunked):
    import httpx

    _, h = make_user("agent")
    cid = httpx.post(f"{live_server}/api/v1/cases", json={"policy_no": "P2019000123", "type": "contact_change"},
                     headers=h).json()["id"]
    u = urlparse(live_server)
    offered = 8 * 1024 * 1024
    head = (f"POST /api/v1/cases/{cid}/documents HTTP/1.1\r\nHost: {u.netloc}\r\n"
            f"Authorization: {h['Authorization']}\r\nContent-Type: multipart/form-data; boundary=XX\r\n")
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {offered}\r\n\r\n"
    part = b'--XX\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n\x89PNG\r\n\x1a\n'
    sent = 0
    with socket.create_connection((u.hostname, u.port)) as sock:
        sock.sendall(head.encode())
        block = b"0" * 16384
        try:
            payload = part
            while sent < offered:
                if chunked:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(payload), payload))
                else:
                    sock.sendall(payload)
                sent += len(payload)
                payload = block
                sock.settimeout(0.02)
                try:
                    if sock.recv(1, socket.MSG_PEEK):
                        break
                except (BlockingIOError, socket.timeout):
                    pass
                sock.settimeout(None)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status = _read_status(sock)
    assert status == 413
    assert sent < offered / 4, f"the server let the client send {sent} bytes before refusing"
    from intake.db.models import Document

    with runtime.db.session() as s:
        assert s.query(Document).count() == 0
