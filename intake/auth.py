"""Passwords (hashlib.scrypt), signed expiring tokens, roles.

Tokens are ``base64url(json payload) "." base64url(HMAC-SHA256(secret, payload))``; the
payload holds the user id, name, role and expiry. No personal data goes into a token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import defaults
from intake.db.models import ROLES, User

__all__ = [
    "hash_password",
    "check_password",
    "issue_token",
    "read_token",
    "TokenError",
    "Principal",
    "authenticate",
    "create_user",
    "UserExists",
]


class TokenError(Exception):
    pass


class UserExists(Exception):
    pass


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(defaults.SCRYPT_SALT_BYTES)
    n, r, p = defaults.SCRYPT_N, defaults.SCRYPT_R, defaults.SCRYPT_P
    dk = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${dk.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, dk = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(dk) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), dk)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Principal:
    id: int
    name: str
    role: str

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"


def issue_token(user: User | Principal, secret: str, ttl: int = defaults.TOKEN_TTL) -> str:
    payload = json.dumps({"sub": user.id, "name": user.name, "role": user.role,
                          "exp": int(time.time()) + ttl}, separators=(",", ":")).encode()
    sig = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(sig)}"


def read_token(token: str, secret: str) -> Principal:
    try:
        body, sig = token.split(".")
        payload = _unb64(body)
        good = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
        if not hmac.compare_digest(good, _unb64(sig)):
            raise TokenError("bad signature")
        data = json.loads(payload)
    except TokenError:
        raise
    except (ValueError, TypeError) as exc:
        raise TokenError("malformed token") from exc
    if int(data.get("exp", 0)) < time.time():
        raise TokenError("token expired")
    if data.get("role") not in ROLES:
        raise TokenError("unknown role")
    return Principal(int(data["sub"]), str(data["name"]), str(data["role"]))


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        check_password(password, hash_password("x"))  # same work either way
        return None
    return user if check_password(password, user.password_hash) else None


def create_user(session: Session, name: str, role: str, password: str, actor: str = "system") -> User:
    from intake import audit

    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not name or len(name) > 64:
        raise ValueError("user name must be 1-64 characters")
    if len(password) < 8:
        raise ValueError("password must be at least 8 characters")
    if session.execute(select(User).where(User.name == name)).scalar_one_or_none() is not None:
        raise UserExists(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", user.id, name=name, role=role)
    return user
