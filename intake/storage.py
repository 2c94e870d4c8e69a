"""Content-addressed, encrypted file store.

A file is stored once per SHA-256 of its plaintext, however many documents point at it.
Writing is temp file → fsync → rename (→ fsync of the directory), and only then does the
caller commit the database row, so a crash leaves at worst an unreferenced file, never a
row without its file. Bytes at rest are Fernet tokens (AES-128-CBC + HMAC-SHA256); no
route serves this directory.

    StorageError
    ├── StorageFull        the disk is full (ENOSPC/EDQUOT) → 507
    └── FileMissing        no file for a key
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Protocol

from cryptography.fernet import Fernet, MultiFernet

__all__ = ["FileStore", "LocalFileStore", "StorageError", "StorageFull", "FileMissing", "sha256_hex"]


class StorageError(Exception):
    pass


class StorageFull(StorageError):
    pass


class FileMissing(StorageError):
    pass


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileStore(Protocol):
    def put(self, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...


class LocalFileStore:
    """Files under ``root/ab/cd/<sha256>``, encrypted with ``fernet_key``.

    ``previous_keys`` still decrypt (key rotation): new files are written with the current
    key, and ``reencrypt`` moves every file to it, after which the old keys can go.
    """

    def __init__(self, root: Path, fernet_key: str | bytes, previous_keys: Iterable[str | bytes] = ()):
        self.root = Path(root)
        self._fernet = MultiFernet([Fernet(fernet_key), *(Fernet(k) for k in previous_keys)])

    def path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise FileMissing("not a SHA-256 key")
        return self.root / key[:2] / key[2:4] / key

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its key, the hex SHA-256 of the plaintext."""
        key = sha256_hex(data)
        path = self.path(key)
        if path.exists():
            return key
        token = self._fernet.encrypt(data)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(token)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except FileNotFoundError:
                    pass
                raise
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageFull("the file store's disk is full") from exc
            raise
        return key

    def delete(self, key: str) -> None:
        """Remove a stored file (an upload whose row could not be committed); no error if absent."""
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            pass

    def keys(self) -> Iterator[str]:
        for path in sorted(self.root.glob("??/??/*")):
            if len(path.name) == 64 and not path.name.startswith(".tmp-"):
                yield path.name

    def reencrypt(self) -> tuple[int, int]:
        """Re-encrypt every file with the current key; returns (files rewritten, files seen)."""
        done = seen = 0
        for key in self.keys():
            seen += 1
            path = self.path(key)
            token = path.read_bytes()
            new = self._fernet.rotate(token)
            if sha256_hex(self._fernet.decrypt(new)) != key:
                raise StorageError(f"stored file {key[:12]}… does not match its key")
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(new)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            done += 1
        return done, seen

    def get(self, key: str) -> bytes:
        try:
            token = self.path(key).read_bytes()
        except FileNotFoundError as exc:
            raise FileMissing(f"no stored file for key {key[:12]}…") from exc
        data = self._fernet.decrypt(token)
        if sha256_hex(data) != key:
            raise StorageError(f"stored file {key[:12]}… does not match its key")
        return data
