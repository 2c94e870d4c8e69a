"""CSRF for the pages: a per-session token in every state-changing form, checked on the server.

The session cookie is already SameSite=Strict, but that does not cover older browsers or
same-site subdomains. The token is ``HMAC(secret, "csrf:" + session cookie)``: bound to the
session, nothing to store, and it changes when the session does. Forms carry it as the
hidden field ``csrf_token``; the pages' scripts send it as the ``X-CSRF-Token`` header
(read from ``<meta name="csrf-token">``). A POST without the right token answers 403.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import HTTPException, Request, status
from markupsafe import Markup

from intake import defaults

__all__ = ["csrf_token", "csrf_field", "require_csrf", "FIELD", "HEADER"]

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
EXEMPT = frozenset({"/login"})  # no session yet: nothing to ride on


def csrf_token(request: Request) -> str:
    cookie = request.cookies.get(defaults.SESSION_COOKIE)
    if not cookie:
        return ""
    key = request.app.state.runtime.settings.secret_key.encode()
    return hmac.new(key, b"csrf:" + cookie.encode(), hashlib.sha256).hexdigest()[:40]


def csrf_field(request: Request) -> Markup:
    """The hidden input for a form (a Jinja global: ``{{ csrf_field(request) }}``)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, csrf_token(request))


async def require_csrf(request: Request) -> None:
    """Router dependency: every unsafe method on a page route must carry this session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS") or request.url.path in EXEMPT:
        return
    expected = csrf_token(request)
    if not expected:  # no session cookie: nothing for a forged request to ride on; the page asks to log in
        return
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "missing or wrong CSRF token; reload the page and try again")
