"""The file store on an S3-compatible object store (MinIO, Ceph RGW, a cloud bucket).

Why: workers on several hosts must read the files the API wrote, and a bucket is the
shared store most deployments already run. The objects are the same Fernet tokens the
local store writes (``intake.storage.FileCipher``): the object store never sees a
plaintext, its own server-side encryption is neither needed nor relied on, and
``baoquan keys reencrypt`` rotates them like local files.

Layout: ``<prefix>/ab/cd/<sha256>`` (as on disk). An S3 PUT is atomic — an object appears
whole or not at all — so there is no temp-then-rename; two hosts storing the same
content race harmlessly (both tokens open to the same bytes).

Credentials come from boto3's own chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE``, an instance role), never from this module. botocore's errors become
``StorageUnavailable`` (unreachable, refused, no bucket), ``StorageFull`` (quota) or
``FileMissing`` (no such object), each naming the location, never the credentials.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Iterable, Iterator

from intake.storage import FileCipher, FileMissing, StorageError, StorageFull, StorageUnavailable, is_key, sha256_hex

__all__ = ["S3FileStore"]

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5  # seconds to open a connection to the object store
READ_TIMEOUT = 60  # seconds to wait for a response (a 20 MiB upload on a slow link)
MAX_ATTEMPTS = 4  # botocore "standard" retries: throttling, 5xx and dropped connections, with backoff
NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
FULL = {"QuotaExceeded", "XMinioStorageFull", "XMinioAdminBucketQuotaExceeded", "InsufficientStorage"}


class S3FileStore:
    """Encrypted, content-addressed files in ``bucket`` under ``prefix``.

    ``endpoint_url`` points at MinIO/Ceph/another S3-compatible server (path-style
    addressing unless ``addressing_style`` says otherwise); ``None`` is AWS itself.
    One boto3 client per process: RQ forks a work-horse per job, and a client (its
    connection pool) must not cross a fork.
    """

    def __init__(self, bucket: str, prefix: str, fernet_key: str | bytes, previous_keys: Iterable[str | bytes] = (),
                 *, endpoint_url: str | None = None, region: str | None = None, addressing_style: str = "auto"):
        import boto3.session
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.endpoint_url = endpoint_url
        self._cipher = FileCipher(fernet_key, previous_keys)
        style = "path" if addressing_style == "auto" and endpoint_url else addressing_style
        self._config = Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                              retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
                              s3={"addressing_style": style}, region_name=region)
        self._session = boto3.session.Session()
        self._lock = threading.Lock()
        self._client_pid: int | None = None
        self._client_obj = None

    @property
    def location(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"
        return f"{where} at {self.endpoint_url}" if self.endpoint_url else where

    def _client(self):
        with self._lock:
            if self._client_obj is None or self._client_pid != os.getpid():
                self._client_obj = self._session.client("s3", endpoint_url=self.endpoint_url, config=self._config)
                self._client_pid = os.getpid()
            return self._client_obj

    def object_name(self, key: str) -> str:
        if not is_key(key):
            raise FileMissing("not a SHA-256 key")
        name = f"{key[:2]}/{key[2:4]}/{key}"
        return f"{self.prefix}/{name}" if self.prefix else name

    # ----------------------------------------------------------------- errors

    def _error(self, exc: Exception, doing: str, key: str | None = None) -> StorageError:
        """botocore's exception → ours, with the location and what we were doing."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        what = f"{doing} {key[:12]}… in {self.location}" if key else f"{doing} in {self.location}"
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in NOT_FOUND and key is not None:
                return FileMissing(f"no stored file for key {key[:12]}… in {self.location}")
            if code == "NoSuchBucket":
                return StorageUnavailable(f"{what}: the bucket {self.bucket!r} does not exist")
            if code in FULL:
                return StorageFull(f"{what}: the object store's quota is full ({code})")
            return StorageUnavailable(f"{what}: the object store refused ({code or 'no code'})")
        if isinstance(exc, NoCredentialsError):
            return StorageUnavailable(f"{what}: no S3 credentials (set AWS_ACCESS_KEY_ID and "
                                      "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)")
        if isinstance(exc, BotoCoreError):
            return StorageUnavailable(f"{what}: the object store did not answer ({type(exc).__name__})")
        raise TypeError(f"not a botocore error: {type(exc).__name__}") from exc

    # ----------------------------------------------------------------- FileStore

    def exists(self, key: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._client().head_object(Bucket=self.bucket, Key=self.object_name(key))
        except (ClientError, BotoCoreError) as exc:
            err = self._error(exc, "looking up", key)
            if isinstance(err, FileMissing):
                return False
            raise err from exc
        return True

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its key, the hex SHA-256 of the plaintext."""
        from botocore.exceptions import BotoCoreError, ClientError

        key = sha256_hex(data)
        if self.exists(key):
            return key
        try:
            self._client().put_object(Bucket=self.bucket, Key=self.object_name(key), Body=self._cipher.seal(data),
                                      ContentType="application/octet-stream")
        except (ClientError, BotoCoreError) as exc:
            raise self._error(exc, "storing", key) from exc
        return key

    def _token(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self._client().get_object(Bucket=self.bucket, Key=self.object_name(key))["Body"].read()
        except (ClientError, BotoCoreError) as exc:
            raise self._error(exc, "reading", key) from exc

    def get(self, key: str) -> bytes:
        return self._cipher.open(key, self._token(key))

    def delete(self, key: str) -> None:
        """Remove a stored file (an upload whose row could not be committed); no error if absent."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._client().delete_object(Bucket=self.bucket, Key=self.object_name(key))
        except (ClientError, BotoCoreError) as exc:
            err = self._error(exc, "deleting", key)
            if not isinstance(err, FileMissing):
                raise err from exc

    def keys(self) -> Iterator[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        start = f"{self.prefix}/" if self.prefix else ""
        try:
            pages = self._client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
            for page in pages:
                for obj in page.get("Contents", []):
                    name = obj["Key"][len(start):]
                    parts = name.split("/")
                    if len(parts) == 3 and is_key(parts[2]) and parts[:2] == [parts[2][:2], parts[2][2:4]]:
                        yield parts[2]
        except (ClientError, BotoCoreError) as exc:
            raise self._error(exc, "listing") from exc

    def reencrypt(self) -> tuple[int, int]:
        """Re-encrypt every object with the current key; returns (objects rewritten, objects seen)."""
        from botocore.exceptions import BotoCoreError, ClientError

        done = seen = 0
        for key in list(self.keys()):  # listed first: rewriting while paginating could list an object twice
            seen += 1
            token = self._cipher.rotate(key, self._token(key))
            try:
                self._client().put_object(Bucket=self.bucket, Key=self.object_name(key), Body=token,
                                          ContentType="application/octet-stream")
            except (ClientError, BotoCoreError) as exc:
                raise self._error(exc, "re-encrypting", key) from exc
            done += 1
        log.info("re-encrypted %s of %s objects in %s", done, seen, self.location)
        return done, seen
