from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from intake.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def healthz(request: Request) -> JSONResponse:
    """200 when the database and Redis answer, 503 otherwise (naming which failed)."""
    rt = request.app.state.runtime
    body = {"status": "ok", "database": "ok", "redis": "ok"}
    try:
        with rt.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        body["database"] = f"error: {type(exc).__name__}"
    try:
        rt.redis.ping()
    except Exception as exc:
        body["redis"] = f"error: {type(exc).__name__}"
    ok = body["database"] == "ok" and body["redis"] == "ok"
    if not ok:
        body["status"] = "error"
    return JSONResponse(body, status_code=200 if ok else 503)
