"""The FastAPI application: API v1, health, web pages.

``create_app(settings)`` builds everything from one ``Settings``; the schema is migrated
(``alembic upgrade head``) at start-up. No route serves stored files.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from intake.api.deps import get_current_user
from intake import audit_sampling, errors
from intake.api.routes import audit_samples, auth, cases, documents, health, jobs, policies, quick_check
from intake.middleware import BodyLimitMiddleware
from intake.runtime import Runtime
from intake.settings import Settings
from intake.storage import StorageError, StorageFull, StorageUnavailable
from verify.masking import scrub

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def _validation_errors(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 without echoing the input (it may hold ID or card numbers)."""
    detail = []
    for err in exc.errors():
        item = {"type": err.get("type"), "loc": list(err.get("loc", ())), "msg": scrub(str(err.get("msg", "")))}
        detail.append(item)
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


#: Domain errors → HTTP, at the edge only (most specific first).
ERROR_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (errors.IllegalTransition, status.HTTP_409_CONFLICT),
    (audit_sampling.AlreadyReviewed, status.HTTP_409_CONFLICT),
    (errors.DocumentBusy, status.HTTP_409_CONFLICT),
    (errors.CaseNotFound, status.HTTP_404_NOT_FOUND),
    (errors.DocumentNotFound, status.HTTP_404_NOT_FOUND),
    (errors.PolicyNotFound, status.HTTP_404_NOT_FOUND),
    (errors.InvalidCaseType, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (errors.InvalidDecision, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (errors.InvalidCorrection, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (audit_sampling.SampleError, status.HTTP_422_UNPROCESSABLE_CONTENT),
)


def _unprocessable(message: str) -> JSONResponse:
    """A 422 in the one shape the schema documents for it (FastAPI's validation error list)."""
    return JSONResponse({"detail": [{"loc": [], "msg": scrub(message), "type": "value_error"}]},
                        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT and isinstance(exc.detail, str):
        return _unprocessable(exc.detail)
    return await http_exception_handler(request, exc)


def _case_error(_request: Request, exc: errors.CaseError) -> JSONResponse:
    for cls, code in ERROR_STATUS:
        if isinstance(exc, cls):
            if code == status.HTTP_422_UNPROCESSABLE_CONTENT:
                return _unprocessable(str(exc))
            body = {"detail": scrub(str(exc))}
            if isinstance(exc, errors.IllegalTransition):
                body["state"] = exc.state
            return JSONResponse(body, status_code=code)
    log.error("unmapped domain error %s", type(exc).__name__)
    return JSONResponse({"detail": scrub(str(exc))}, status_code=status.HTTP_400_BAD_REQUEST)


DB_RETRY_AFTER = "5"  # seconds a client is told to wait when the database does not answer
STORE_RETRY_AFTER = "10"  # seconds a client is told to wait when the file store does not answer


def _unavailable(request: Request, code: str, retry_after: str, detail: str, words_zh: str) -> Response:
    """A 503 with Retry-After: JSON with the reason and its code on the API (and for a page's
    script, which asks for JSON), a page in words for a person."""
    headers = {"Retry-After": retry_after}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": detail, "code": code}, status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                            headers=headers)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"error": words_zh, "code": code}, status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                            headers=headers)
    return HTMLResponse("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>暂时无法服务</title>"
                        f"<h1>暂时无法服务</h1><p>{words_zh}</p></html>",
                        status_code=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)


def _database_unavailable(request: Request, exc: DBAPIError) -> Response:
    """503 with Retry-After when the database does not answer: never a 500, never a half write
    (the request's transaction is gone with the connection)."""
    if not getattr(exc, "connection_invalidated", False) and not isinstance(exc, (OperationalError, InterfaceError)):
        raise exc
    log.warning("database unavailable: %s", type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__)
    return _unavailable(request, "database_unavailable", DB_RETRY_AFTER,
                        "the database is not answering; try again in a few seconds",
                        "数据库暂时没有响应，您的操作没有保存。请稍等几秒后重试。")


def _storage_error(request: Request, exc: StorageError) -> Response:
    """The file store's errors at the edge, by their code: ``storage_unavailable`` → 503 with
    Retry-After (the upload wrote no row: ``cases.add_documents``), ``storage_full`` → 507.
    The reason given names no bucket, endpoint or key (those go to the log only). Any other
    store error (a file that does not match its key, a missing file outside the routes that
    answer it themselves) is a fault of ours: raised on, a 500."""
    if isinstance(exc, StorageUnavailable):
        log.warning("file store unavailable: %s", exc)
        return _unavailable(request, exc.code, STORE_RETRY_AFTER,
                            "the file store is not answering; nothing was saved, try again in a few seconds",
                            "文件存储暂时无法访问，您的操作没有保存。请稍等片刻后重试。")
    if isinstance(exc, StorageFull):
        log.error("file store full: %s", exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "the file store is full; nothing was saved", "code": exc.code},
                                status_code=status.HTTP_507_INSUFFICIENT_STORAGE)
        return HTMLResponse("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>存储空间不足</title>"
                            "<h1>存储空间不足</h1><p>文件存储空间已满，您的操作没有保存。请联系管理员。</p></html>",
                            status_code=status.HTTP_507_INSUFFICIENT_STORAGE)
    raise exc


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    runtime = runtime or Runtime(settings or Settings())
    settings = runtime.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        settings.ensure_dirs()
        runtime.db.migrate()
        _ = runtime.redis_url  # starts the embedded Redis when no REDIS_URL is set
        yield

    app = FastAPI(title="Baoquan Intake", version="1", lifespan=lifespan,
                  description="Document intake and OCR verification for policy servicing (保全).")
    app.state.runtime = runtime
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_bytes)
    app.add_exception_handler(RequestValidationError, _validation_errors)
    app.add_exception_handler(errors.CaseError, _case_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_unavailable)
    app.add_exception_handler(StorageError, _storage_error)

    api = APIRouter(prefix="/api/v1")
    api.include_router(auth.router)
    protected = [Depends(get_current_user)]
    for module in (policies, cases, documents, jobs, audit_samples, quick_check):
        api.include_router(module.router, dependencies=protected)

    @api.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False,
                   dependencies=protected)
    def not_found(path: str):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not Found")

    app.include_router(health.router)
    app.include_router(api)

    from intake.web import routes as web

    app.add_exception_handler(web.PageRefused, web.page_refused)
    app.include_router(web.router)
    return app
