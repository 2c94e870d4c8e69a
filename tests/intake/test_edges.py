"""Small pure pieces: file names, types, settings, tokens, passwords, log masking, CLI usage."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from intake.auth import TokenError, check_password, hash_password, issue_token, needs_rehash, read_token, Principal
from intake.logs import MaskingFilter
from intake.settings import Settings, SettingsError
from intake.uploads import EmptyUpload, UnsupportedUpload, detect_type, sanitize_filename


@pytest.mark.parametrize("name,mime,expected", [
    ("../../x", "image/png", "x.png"),
    ("..\\..\\windows\\system32\\a.jpg", "image/jpeg", "a.jpg"),
    ("a\x00b.png", "image/png", "ab.png"),
    ("photo\u202egnp.exe", "image/png", "photognp.exe.png"),
    ("a.jpg.php", "image/jpeg", "a.jpg.php.jpg"),
    ("x" * 300 + ".png", "image/png", "x" * 116 + ".png"),
    ("", "application/pdf", "upload.pdf"),
    (None, "image/webp", "upload.webp"),
    ("...", "image/png", "upload.png"),
    ("scan.JPEG", "image/jpeg", "scan.jpg"),
    ("身份证 正面.png", "image/png", "身份证 正面.png"),
    ("<script>.png", "image/png", "script.png"),
])
def test_filenames_never_become_paths(name, mime, expected):
    out = sanitize_filename(name, mime)
    assert out == expected
    assert "/" not in out and "\\" not in out and "\x00" not in out and len(out) <= 120


@pytest.mark.parametrize("data,mime", [
    (b"\xff\xd8\xff\xe0rest", "image/jpeg"), (b"\x89PNG\r\n\x1a\nrest", "image/png"), (b"%PDF-1.7 rest", "application/pdf"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"), (b"II*\x00rest", "image/tiff"), (b"BM" + b"\x00" * 40, "image/bmp"),
])
def test_type_from_magic_bytes(data, mime):
    assert detect_type(data) == mime


@pytest.mark.parametrize("data", [b"<!doctype html><html>", b"<?php echo 1; ?>", b"GIF89a....", b"PK\x03\x04zip"])
def test_other_types_are_refused(data):
    with pytest.raises(UnsupportedUpload):
        detect_type(data)


def test_empty_file_is_refused():
    with pytest.raises(EmptyUpload):
        detect_type(b"")


def test_production_requires_keys(tmp_path, monkeypatch):
    for var in ("BAOQUAN_SECRET_KEY", "BAOQUAN_FILE_KEY"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(SettingsError, match="BAOQUAN_SECRET_KEY is required"):
        Settings(data_dir=tmp_path, env="production")
    with pytest.raises(SettingsError, match="BAOQUAN_SECRET_KEY is required"):
        Settings(data_dir=tmp_path, env="production", secret_key_="changeme", file_key_="x")
    s = Settings(data_dir=tmp_path, env="production", secret_key_="k" * 40, file_key_="f" * 44)
    assert s.secret_key == "k" * 40


def test_development_keys_are_generated_once(tmp_path):
    a = Settings(data_dir=tmp_path)
    b = Settings(data_dir=tmp_path)
    assert a.secret_key == b.secret_key and a.file_key == b.file_key
    assert (tmp_path / "keys" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert a.database_url == f"sqlite:///{tmp_path.resolve() / 'baoquan.db'}"


def test_settings_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BAOQUAN_DATA", str(tmp_path))
    monkeypatch.setenv("BAOQUAN_JOB_RETRY_INTERVALS", "1, 2,3")
    monkeypatch.setenv("BAOQUAN_MAX_UPLOAD_BYTES", "1234")
    monkeypatch.setenv("BAOQUAN_OCR_ENGINE", "paddleocr")
    s = Settings()
    assert (list(s.job_policy.retry_intervals), s.max_upload_bytes, s.ocr_engine, s.data) == ([1, 2, 3], 1234, "paddleocr", tmp_path.resolve())
    monkeypatch.setenv("BAOQUAN_OCR_ENGINE", "tesseract")
    with pytest.raises(Exception):
        Settings()


def test_tokens():
    p = Principal(7, "ann", "clerk")
    t = issue_token(p, "s" * 40, ttl=60)
    assert read_token(t, "s" * 40) == p
    with pytest.raises(TokenError):
        read_token(t, "other secret" * 4)
    with pytest.raises(TokenError):
        read_token(issue_token(p, "s" * 40, ttl=-5), "s" * 40)
    head, body, sig = t.split(".")
    with pytest.raises(TokenError):
        read_token(f"{head}.{body[:-2]}xx.{sig}", "s" * 40)
    with pytest.raises(TokenError):
        read_token("not a token", "s" * 40)


def test_token_key_rotation(tmp_path):
    """Tokens signed with a previous key stay valid while it is listed; new ones use the new key."""
    p = Principal(7, "ann", "clerk")
    old, new = "o" * 40, "n" * 40
    t_old = issue_token(p, old, ttl=60)
    s = Settings(data_dir=tmp_path, secret_key_=new, BAOQUAN_SECRET_KEY_PREVIOUS=f" {old} ,")
    assert s.token_keys == (new, old)
    assert read_token(t_old, s.token_keys) == p
    assert read_token(issue_token(p, s.secret_key), (new,)) == p
    with pytest.raises(TokenError):
        read_token(t_old, (new,))  # dropped from the list: no longer accepted


def test_passwords():
    h = hash_password("correct horse")
    assert h.startswith("$argon2id$") and "correct horse" not in h
    assert check_password("correct horse", h) and not check_password("wrong", h)
    assert not check_password("x", "garbage") and not needs_rehash(h)


def test_an_old_scrypt_hash_logs_in_once_and_is_rehashed(runtime):
    import hashlib
    import secrets

    from sqlalchemy import select

    from intake.auth import authenticate, create_user
    from intake.db.models import AuditEvent, User

    salt = secrets.token_bytes(16)
    legacy = f"scrypt${2**14}$8$1${salt.hex()}${hashlib.scrypt(b'old password', salt=salt, n=2**14, r=8, p=1, dklen=32).hex()}"
    with runtime.db.session() as s:
        u = create_user(s, "old-timer", "clerk", "placeholder password")
        u.password_hash = legacy
        s.commit()
    with runtime.db.session() as s:
        assert authenticate(s, "old-timer", "wrong password") is None
        assert authenticate(s, "old-timer", "old password") is not None
        s.commit()
    with runtime.db.session() as s:
        stored = s.execute(select(User.password_hash).where(User.name == "old-timer")).scalar_one()
        events = [e.action for e in s.execute(select(AuditEvent)).scalars()]
    assert stored.startswith("$argon2id$") and "user.password_rehashed" in events
    with runtime.db.session() as s:
        assert authenticate(s, "old-timer", "old password") is not None


def test_log_records_are_masked(caplog):
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "id %s card %s", ("110105198503071234", "6222 0212 3456 7890 128"), None)
    try:
        raise ValueError("bad 11010519850307123X")
    except ValueError:
        record.exc_info = sys.exc_info()
    MaskingFilter().filter(record)
    out = logging.Formatter().format(record)
    assert "110105198503071234" not in out and "11010519850307123X" not in out and "6222021234567890128" not in out
    assert "1101**********1234" in out


@pytest.mark.parametrize("argv", [[], ["bogus"], ["user", "add"], ["serve", "--port", "x"], ["extract"],
                                  ["user", "add", "x", "--role", "king", "--password-stdin"]])
def test_bad_usage_exits_2(argv):
    r = subprocess.run([sys.executable, "-m", "intake.cli", *argv], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r
    assert "error" in r.stderr and r.stdout == ""


def test_user_add_needs_password_on_stdin(tmp_path):
    r = subprocess.run([sys.executable, "-m", "intake.cli", "user", "add", "ann", "--role", "clerk", "--data", str(tmp_path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--password-stdin" in r.stderr


def test_demo_without_samples_says_so(tmp_path):
    r = subprocess.run([sys.executable, "-m", "intake.cli", "demo", "--data", str(tmp_path / "d"),
                        "--samples", str(tmp_path / "none")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "no demo data" in r.stderr
