"""Passwords (Argon2id, argon2-cffi), signed expiring tokens (JWT HS256, PyJWT), roles.

Passwords stored by the earlier scheme (``scrypt$…``) still verify and are rehashed with
Argon2id at the next successful login, as are Argon2 hashes whose parameters are older
than the library's current ones. A token's payload holds the user id, name, role and
expiry (no personal data); it is signed with the current secret key and accepted under
the current or any previous key (``BAOQUAN_SECRET_KEY_PREVIOUS``), so a key can be
rotated without logging everyone out at once.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Sequence

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import defaults
from intake.db.models import ROLES, User

__all__ = [
    "hash_password",
    "check_password",
    "needs_rehash",
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


_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_scrypt(password: str, stored: str) -> bool:
    """The earlier scheme, kept only to let old hashes log in once more (then rehashed)."""
    try:
        scheme, n, r, p, salt, dk = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(dk) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), dk)


def check_password(password: str, stored: str) -> bool:
    if stored.startswith("scrypt$"):
        return _check_scrypt(password, stored)
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True for the earlier scheme and for Argon2 hashes with outdated parameters."""
    return stored.startswith("scrypt$") or _hasher.check_needs_rehash(stored)


@dataclass(frozen=True)
class Principal:
    id: int
    name: str
    role: str

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"


def issue_token(user: User | Principal, secret: str, ttl: int = defaults.TOKEN_TTL) -> str:
    payload = {"sub": str(user.id), "name": user.name, "role": user.role, "exp": int(time.time()) + ttl}
    return jwt.encode(payload, secret, algorithm="HS256")


def read_token(token: str, keys: str | Sequence[str]) -> Principal:
    """The principal a token names, if any of ``keys`` (current first) signed it and it is unexpired."""
    last: Exception | None = None
    for key in ([keys] if isinstance(keys, str) else list(keys)):
        try:
            data = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "sub"]})
            break
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("token expired") from exc
        except jwt.InvalidSignatureError as exc:
            last = exc
        except jwt.PyJWTError as exc:
            raise TokenError("malformed token") from exc
    else:
        raise TokenError("bad signature") from last
    if data.get("role") not in ROLES:
        raise TokenError("unknown role")
    try:
        return Principal(int(data["sub"]), str(data["name"]), str(data["role"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise TokenError("malformed token") from exc


_DUMMY_HASH = hash_password("not a password: the same work for an unknown user")


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user, if the password is right; an old-scheme hash is upgraded (the caller commits)."""
    from intake import audit

    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        check_password(password, _DUMMY_HASH)  # same work either way
        return None
    if not check_password(password, user.password_hash):
        return None
    if needs_rehash(user.password_hash):
        old = user.password_hash.split("$", 2)[1] if user.password_hash.startswith("$") else "scrypt"
        user.password_hash = hash_password(password)
        audit.record(session, f"{user.role}:{user.name}", "user.password_rehashed", "user", user.id, was=old)
    return user


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
