from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from intake import audit
from verify.masking import scrub
from intake.api.deps import RuntimeDep, SessionDep
from intake.api.schemas import Token
from intake.auth import authenticate, issue_token

router = APIRouter(prefix="/auth", tags=["auth"])

BAD_LOGIN = "Incorrect username or password"


@router.post("/token", response_model=Token)
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, rt: RuntimeDep) -> Token:
    """OAuth2 password flow: ``username`` + ``password`` form → bearer token."""
    user = authenticate(session, form.username, form.password)
    if user is None:
        audit.record(session, f"anonymous:{scrub(form.username[:64])}", "auth.login_failed", "user", None)
        session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, BAD_LOGIN, headers={"WWW-Authenticate": "Bearer"})
    audit.record(session, f"{user.role}:{user.name}", "auth.login", "user", user.id)
    session.commit()
    ttl = rt.settings.token_ttl
    return Token(access_token=issue_token(user, rt.settings.secret_key, ttl), expires_in=ttl)
