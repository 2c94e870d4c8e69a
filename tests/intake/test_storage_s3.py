"""The S3 file store against a local S3-compatible server process (moto's server mode, an
emulator), and how ``BAOQUAN_STORE_URL`` chooses a store.

Same promises as the local store: round trip, content addressing, Fernet at rest (the
bucket never holds a plaintext), key rotation with ``baoquan keys reencrypt``, a clear
error for a missing object — and an upload through the API read back by a worker.
"""

from __future__ import annotations

import secrets

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pydantic import ValidationError

from intake.settings import Settings
from intake.storage import FileMissing, LocalFileStore, StorageError, StorageUnavailable, open_store, sha256_hex
from tests.moto_s3 import S3_ENV, MotoS3

PLAINTEXT = "姓名 王建国 公民身份号码 110105198503071234".encode()


@pytest.fixture(scope="module")
def moto():
    server = MotoS3()
    yield server
    server.stop()


@pytest.fixture
def s3_env(moto, monkeypatch):
    for k, v in S3_ENV.items():
        monkeypatch.setenv(k, v)
    return moto


@pytest.fixture
def bucket(s3_env):
    return s3_env.make_bucket(f"bq-{secrets.token_hex(6)}")


def _store(moto, bucket, key, previous=(), prefix="docs"):
    from intake.storage_s3 import S3FileStore

    return S3FileStore(bucket, prefix, key, previous, endpoint_url=moto.url)


def _objects(moto, bucket) -> dict[str, bytes]:
    c = moto.client()
    names = [o["Key"] for o in c.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {n: c.get_object(Bucket=bucket, Key=n)["Body"].read() for n in names}


def test_put_get_delete_round_trip(s3_env, bucket):
    store = _store(s3_env, bucket, Fernet.generate_key())
    key = store.put(PLAINTEXT)
    assert key == sha256_hex(PLAINTEXT)
    assert store.exists(key) and store.get(key) == PLAINTEXT
    assert store.put(PLAINTEXT) == key  # content-addressed: stored once
    assert list(_objects(s3_env, bucket)) == [f"docs/{key[:2]}/{key[2:4]}/{key}"]
    assert list(store.keys()) == [key]
    store.delete(key)
    assert not store.exists(key) and _objects(s3_env, bucket) == {}
    store.delete(key)  # absent: no error, like the local store


def test_objects_are_encrypted_at_rest(s3_env, bucket):
    file_key = Fernet.generate_key()
    key = _store(s3_env, bucket, file_key).put(PLAINTEXT)
    [raw] = _objects(s3_env, bucket).values()
    assert raw != PLAINTEXT and PLAINTEXT not in raw and "王建国".encode() not in raw
    assert Fernet(file_key).decrypt(raw) == PLAINTEXT  # the same Fernet tokens the local store writes
    with pytest.raises(InvalidToken):
        _store(s3_env, bucket, Fernet.generate_key()).get(key)  # another key opens nothing


def test_a_missing_object_is_a_clear_error(s3_env, bucket):
    store = _store(s3_env, bucket, Fernet.generate_key())
    absent = sha256_hex(b"never stored")
    with pytest.raises(FileMissing) as exc:
        store.get(absent)
    assert exc.value.code == "file_missing"
    assert f"no stored file for key {absent[:12]}" in str(exc.value) and f"s3://{bucket}/docs" in str(exc.value)
    with pytest.raises(FileMissing):
        store.get("../../etc/passwd")  # keys are hashes, never paths


def test_a_swapped_object_is_refused(s3_env, bucket):
    file_key = Fernet.generate_key()
    store = _store(s3_env, bucket, file_key)
    key = store.put(PLAINTEXT)
    other = Fernet(file_key).encrypt(b"somebody else's document")
    s3_env.client().put_object(Bucket=bucket, Key=store.object_name(key), Body=other)
    with pytest.raises(StorageError, match="does not match its key"):
        store.get(key)


def test_no_bucket_and_no_server_are_storage_unavailable(s3_env):
    from intake.storage_s3 import S3FileStore

    with pytest.raises(StorageUnavailable, match="bucket 'bq-not-made' does not exist") as exc:
        _store(s3_env, "bq-not-made", Fernet.generate_key()).put(PLAINTEXT)
    assert exc.value.code == "storage_unavailable"
    from tests.conftest import free_port

    gone = S3FileStore("bq-any", "", Fernet.generate_key(), endpoint_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StorageUnavailable, match="did not answer"):
        gone.get(sha256_hex(PLAINTEXT))


def test_file_key_rotation_and_reencrypt(s3_env, bucket):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    k_old = _store(s3_env, bucket, old).put(b"written under the old key")
    rotated = _store(s3_env, bucket, new, previous=[old])
    assert rotated.get(k_old) == b"written under the old key"  # old objects stay readable
    k_new = rotated.put(b"written under the new key")
    with pytest.raises(InvalidToken):
        _store(s3_env, bucket, old).get(k_new)  # new objects use the new key
    assert rotated.reencrypt() == (2, 2)
    only_new = _store(s3_env, bucket, new)
    assert only_new.get(k_old) == b"written under the old key" and only_new.get(k_new) == b"written under the new key"
    with pytest.raises(InvalidToken):
        _store(s3_env, bucket, old).get(k_old)


def test_keys_reencrypt_command_on_the_s3_store(s3_env, bucket, tmp_path, monkeypatch):
    from intake.cli import main

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    key = _store(s3_env, bucket, old, prefix="p/q").put(b"a stored document")
    monkeypatch.setenv("BAOQUAN_STORE_URL", f"s3://{bucket}/p/q")
    monkeypatch.setenv("BAOQUAN_S3_ENDPOINT_URL", s3_env.url)
    monkeypatch.setenv("BAOQUAN_FILE_KEY", new)
    monkeypatch.setenv("BAOQUAN_FILE_KEY_PREVIOUS", old)
    assert main(["keys", "reencrypt", "--data", str(tmp_path / "data")]) == 0
    assert _store(s3_env, bucket, new, prefix="p/q").get(key) == b"a stored document"
    assert not (tmp_path / "data" / "files").exists() or not any((tmp_path / "data" / "files").rglob("*"))


def test_keys_reencrypt_says_when_the_object_store_does_not_answer(s3_env, tmp_path, monkeypatch, capsys):
    from intake.cli import main
    from tests.conftest import free_port

    monkeypatch.setenv("BAOQUAN_STORE_URL", "s3://bq-any/p")
    monkeypatch.setenv("BAOQUAN_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    assert main(["keys", "reencrypt", "--data", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert "the object store did not answer" in err and "(storage_unavailable)" in err


# --------------------------------------------------------------------------- choosing a store


def test_store_url_chooses_the_store(tmp_path, monkeypatch):
    from intake.storage_s3 import S3FileStore

    monkeypatch.delenv("BAOQUAN_STORE_URL", raising=False)
    base = dict(BAOQUAN_DATA=tmp_path / "data", BAOQUAN_FILE_KEY=Fernet.generate_key().decode())
    default = open_store(Settings(**base))
    assert isinstance(default, LocalFileStore) and default.root == (tmp_path / "data" / "files").resolve()
    shared = open_store(Settings(**base, BAOQUAN_STORE_URL=f"file://{tmp_path / 'shared'}"))
    assert isinstance(shared, LocalFileStore) and shared.root == tmp_path / "shared"
    s3 = open_store(Settings(**base, BAOQUAN_STORE_URL="s3://my-bucket/baoquan/files/",
                             BAOQUAN_S3_ENDPOINT_URL="http://minio:9000"))
    assert isinstance(s3, S3FileStore) and (s3.bucket, s3.prefix) == ("my-bucket", "baoquan/files")
    assert s3.object_name("a" * 64) == f"baoquan/files/aa/aa/{'a' * 64}"
    assert open_store(Settings(**base, BAOQUAN_STORE_URL="")).root == default.root  # blank is unset


@pytest.mark.parametrize("url", ["s3://", "s3://Bad_Bucket/x", "file://relative/path", "ftp://host/x",
                                 "s3://bucket/x?endpoint=http://evil"])
def test_a_bad_store_url_is_refused_at_start(url, tmp_path):
    with pytest.raises(ValidationError, match="BAOQUAN_STORE_URL"):
        Settings(BAOQUAN_DATA=tmp_path, BAOQUAN_STORE_URL=url)


def test_child_processes_get_the_store_settings(tmp_path):
    s = Settings(BAOQUAN_DATA=tmp_path, BAOQUAN_STORE_URL="s3://bq-bucket/x", BAOQUAN_S3_ENDPOINT_URL="http://m:9000",
                 BAOQUAN_OCR_THREADS=1)
    env = s.child_env()
    assert (env["BAOQUAN_STORE_URL"], env["BAOQUAN_S3_ENDPOINT_URL"], env["BAOQUAN_OCR_THREADS"]) == (
        "s3://bq-bucket/x", "http://m:9000", "1")


# --------------------------------------------------------------------------- end to end


@pytest.fixture
def settings(settings, bucket, s3_env):
    """The conftest's settings, with the S3 store on the moto server."""
    settings.store_url = f"s3://{bucket}/docs"
    settings.s3_endpoint_url = s3_env.url
    return settings


@pytest.mark.redis
def test_an_upload_through_the_api_is_read_by_the_worker_from_s3(client, runtime, make_user, policy, make_png,
                                                                   bucket, s3_env, monkeypatch):
    from rq import SimpleWorker
    from sqlalchemy import select

    from extractors.types import Extraction, Field, Quality
    from intake import processing
    from intake.db.models import Document
    from intake.storage_s3 import S3FileStore

    assert isinstance(runtime.store, S3FileStore)
    _, agent = make_user("agent")
    cid = client.post("/api/v1/cases", headers=agent, json={"policy_no": policy["policy_no"],
                                                            "type": "id_renewal"}).json()["id"]
    png = make_png()
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=agent, files={"files": ("id.png", png, "image/png")})
    assert r.status_code == 201, r.text
    [raw] = _objects(s3_env, bucket).values()  # in the bucket, encrypted; nothing on the local disk
    assert png not in raw and Fernet(runtime.settings.file_key).decrypt(raw) == png
    assert not any(p.is_file() for p in runtime.settings.files_dir.rglob("*"))

    read: list[bytes] = []

    def pipeline(data, filename, *rest):
        read.append(data)
        return Extraction(file=filename, sha256=sha256_hex(data), kind="id_card_front", kind_confidence=0.9,
                          quality=Quality([]), fields={"name": Field("王建国", 0.99)}, engine="recorded")

    monkeypatch.setattr(processing, "run_pipeline", pipeline)
    worker = SimpleWorker([runtime.queue], connection=runtime.redis)
    worker.subscribe = lambda: None  # no pub/sub thread: its 60 s poll only delays a burst run's exit
    worker.work(burst=True)
    assert read == [png]  # the worker got the plaintext back from the bucket
    with runtime.db.session() as s:
        assert [d.state for d in s.execute(select(Document)).scalars()] == ["done"]
    assert client.get(f"/api/v1/cases/{cid}", headers=agent).json()["state"] == "ready_for_review"


@pytest.mark.redis
def test_an_upload_when_the_bucket_is_gone_is_a_503_and_writes_no_row(client, runtime, make_user, policy, make_png,
                                                                      bucket, s3_env):
    from sqlalchemy import select

    from intake.db.models import Document

    _, agent = make_user("agent")
    cid = client.post("/api/v1/cases", headers=agent, json={"policy_no": policy["policy_no"],
                                                            "type": "id_renewal"}).json()["id"]
    s3_env.client().delete_bucket(Bucket=bucket)  # the object store answers, but refuses every write
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=agent,
                    files={"files": ("id.png", make_png(), "image/png")})
    assert r.status_code == 503 and r.headers["retry-after"] == "10", r.text
    assert r.json()["code"] == "storage_unavailable" and bucket not in r.text
    with runtime.db.session() as s:
        assert s.execute(select(Document)).scalars().all() == []
    assert client.get(f"/api/v1/cases/{cid}", headers=agent).json()["state"] == "draft"
