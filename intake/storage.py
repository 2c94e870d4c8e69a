"""Content-addressed, encrypted file store: the interface, the local store, the chooser.

A file is stored once per SHA-256 of its plaintext, however many documents point at it.
The caller writes the file first and commits the database row after, so a crash leaves
at worst an unreferenced file, never a row without its file. Bytes at rest are Fernet
tokens (AES-128-CBC + HMAC-SHA256) made by one ``FileCipher`` whichever store holds
them, so key rotation (``BAOQUAN_FILE_KEY_PREVIOUS``, ``baoquan keys reencrypt``) works
the same on every backend. No route serves the stored bytes as they are.

Two backends, chosen by ``BAOQUAN_STORE_URL`` (``open_store``):

- ``LocalFileStore`` (the default): ``$BAOQUAN_DATA/files``, or a shared path given as
  ``file:///srv/baoquan/files`` (NFS and the like) for workers on several hosts;
- ``S3FileStore`` (``intake.storage_s3``, ``s3://bucket/prefix``): any S3-compatible
  object store (MinIO, Ceph RGW, a cloud bucket), for workers on several hosts.

Errors carry a ``code`` the edges turn into HTTP statuses or CLI messages:

    StorageError            storage_error
    ├── StorageFull         storage_full          the disk or bucket quota is full → 507
    ├── StorageUnavailable  storage_unavailable   the object store does not answer, refuses
    │                                             our credentials, or has no such bucket → 503
    └── FileMissing         file_missing          no file for a key
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol

from cryptography.fernet import Fernet, MultiFernet

if TYPE_CHECKING:
    from intake.settings import Settings

__all__ = ["FileStore", "LocalFileStore", "FileCipher", "open_store", "is_key", "sha256_hex",
           "StorageError", "StorageFull", "StorageUnavailable", "FileMissing"]


class StorageError(Exception):
    code = "storage_error"


class StorageFull(StorageError):
    code = "storage_full"


class StorageUnavailable(StorageError):
    """The object store cannot be used now: unreachable, credentials refused, no such bucket."""

    code = "storage_unavailable"


class FileMissing(StorageError):
    code = "file_missing"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_key(key: str) -> bool:
    """A store key is the lower-case hex SHA-256 of the plaintext (and nothing else: no paths)."""
    return len(key) == 64 and all(c in "0123456789abcdef" for c in key)


class FileStore(Protocol):
    def put(self, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def keys(self) -> Iterator[str]: ...
    def reencrypt(self) -> tuple[int, int]: ...


class FileCipher:
    """The one encryption of stored bytes, shared by every backend.

    ``fernet_key`` encrypts; ``previous_keys`` still decrypt (rotation). Decryption checks
    the plaintext against its key, so a swapped or corrupted object is an error, not
    someone else's document.
    """

    def __init__(self, fernet_key: str | bytes, previous_keys: Iterable[str | bytes] = ()):
        self._fernet = MultiFernet([Fernet(fernet_key), *(Fernet(k) for k in previous_keys)])

    def seal(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def open(self, key: str, token: bytes) -> bytes:
        data = self._fernet.decrypt(token)
        if sha256_hex(data) != key:
            raise StorageError(f"stored file {key[:12]}… does not match its key")
        return data

    def rotate(self, key: str, token: bytes) -> bytes:
        """The token re-encrypted with the current key, checked to still open to ``key``'s bytes."""
        new = self._fernet.rotate(token)
        self.open(key, new)
        return new


class LocalFileStore:
    """Files under ``root/ab/cd/<sha256>``, encrypted with ``fernet_key``.

    Writing is temp file → fsync → rename (→ fsync of the directory). ``previous_keys``
    still decrypt (key rotation): new files are written with the current key, and
    ``reencrypt`` moves every file to it, after which the old keys can go.
    """

    def __init__(self, root: Path, fernet_key: str | bytes, previous_keys: Iterable[str | bytes] = ()):
        self.root = Path(root)
        self._cipher = FileCipher(fernet_key, previous_keys)

    def path(self, key: str) -> Path:
        if not is_key(key):
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
        try:
            self._write(path, self._cipher.seal(data))
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageFull("the file store's disk is full") from exc
            raise
        return key

    @staticmethod
    def _write(path: Path, token: bytes) -> None:
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

    def delete(self, key: str) -> None:
        """Remove a stored file (an upload whose row could not be committed); no error if absent."""
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            pass

    def keys(self) -> Iterator[str]:
        for path in sorted(self.root.glob("??/??/*")):
            if is_key(path.name):
                yield path.name

    def reencrypt(self) -> tuple[int, int]:
        """Re-encrypt every file with the current key; returns (files rewritten, files seen)."""
        done = seen = 0
        for key in self.keys():
            seen += 1
            path = self.path(key)
            self._write(path, self._cipher.rotate(key, path.read_bytes()))
            done += 1
        return done, seen

    def get(self, key: str) -> bytes:
        try:
            token = self.path(key).read_bytes()
        except FileNotFoundError as exc:
            raise FileMissing(f"no stored file for key {key[:12]}…") from exc
        return self._cipher.open(key, token)


def open_store(settings: "Settings") -> FileStore:
    """The store ``settings.store_url`` names: local (the default), a shared path, or S3."""
    location = settings.store_location
    keys = (settings.file_key, settings.previous_file_keys)
    if location.scheme == "s3":
        from intake.storage_s3 import S3FileStore  # boto3 is imported only by deployments that use it

        return S3FileStore(location.bucket, location.prefix, *keys, endpoint_url=settings.s3_endpoint_url,
                           region=settings.s3_region, addressing_style=settings.s3_addressing_style)
    location.path.mkdir(parents=True, exist_ok=True)
    return LocalFileStore(location.path, *keys)
