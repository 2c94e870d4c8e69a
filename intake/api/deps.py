"""Dependencies shared by the routes: runtime, session, current user, role checks."""

from __future__ import annotations

from typing import Annotated, Iterator

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from intake.auth import Principal, TokenError, read_token
from intake.runtime import Runtime

__all__ = ["RuntimeDep", "SessionDep", "CurrentUser", "require_roles", "oauth2_scheme", "UNAUTHORIZED", "PathId", "MAX_ID"]

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

UNAUTHORIZED = "Not authenticated"

MAX_ID = 2**31 - 1  # row ids are 32-bit integers in every database we run on
#: A row id in a path: out of range is a 422 with a reason, never an overflow in the driver.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
BAD_TOKEN = "Invalid or expired token"


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(rt: RuntimeDep) -> Iterator[Session]:
    with rt.db.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_current_user(rt: RuntimeDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Principal:
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    try:
        return read_token(token, rt.settings.token_keys)
    except TokenError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, BAD_TOKEN, headers={"WWW-Authenticate": "Bearer"}) from None


CurrentUser = Annotated[Principal, Depends(get_current_user)]


def require_roles(*roles: str):
    def check(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {user.role} may not do this")
        return user

    return Depends(check)
