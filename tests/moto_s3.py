"""A local S3-compatible server for tests: moto's server mode, as a separate process.

moto is an emulator of the S3 API (not a storage server): it keeps objects in its own
memory and speaks S3's HTTP protocol, which is all the S3 store sees. Running it as a
process (``python -m moto.server``) puts a real socket between the store and the server,
as with MinIO or Ceph, and lets workers in other network namespaces reach it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from tests.conftest import require_or_skip

__all__ = ["MotoS3", "S3_ENV"]

#: What the store's boto3 reads (moto accepts any credentials; these are not secrets).
S3_ENV = {"AWS_ACCESS_KEY_ID": "baoquan-test", "AWS_SECRET_ACCESS_KEY": "baoquan-test-secret",
          "AWS_DEFAULT_REGION": "us-east-1"}


class MotoS3:
    """``python -m moto.server`` on ``host``:<free port>; ``client()`` is a boto3 S3 client of it."""

    def __init__(self, host: str = "127.0.0.1", log=subprocess.DEVNULL):
        try:
            import moto.server  # noqa: F401
        except ImportError:
            require_or_skip("moto (the S3 emulator, a dev extra) is not installed")
        with socket.socket() as s:
            s.bind((host, 0))
            self.host, self.port = host, s.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", host, "-p", str(self.port)],
                                     stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection((host, self.port), timeout=0.5).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto server did not start (exit {self.proc.returncode})") from None
                time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=S3_ENV["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=S3_ENV["AWS_SECRET_ACCESS_KEY"], region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}))

    def make_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
