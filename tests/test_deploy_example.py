"""The deployment example (deploy/) cannot rot: every `baoquan` command it runs parses with
today's CLI, and every BAOQUAN_ variable it sets is one the settings (or the CLI) read.

Nothing here starts Docker or systemd (neither runs on CI's machine); it checks what the
files say against the code they call.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from intake.cli import build_parser
from intake.settings import Settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
#: read outside ``Settings``: the CLI's log level (``intake.cli``), the tests' switch
READ_ELSEWHERE = {"BAOQUAN_LOG_LEVEL"}


def _known_variables() -> set[str]:
    names = {f.validation_alias for f in Settings.model_fields.values() if isinstance(f.validation_alias, str)}
    return names | READ_ELSEWHERE


def _parses(argv: list[str]) -> None:
    """``baoquan ARGS`` as the CLI would take it (argparse exits 2 on anything it does not know)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        pytest.fail(f"`baoquan {' '.join(argv)}` does not parse (exit {exc.code})")
    assert callable(args.func)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _baoquan_services(compose: dict) -> dict[str, dict]:
    return {name: svc for name, svc in compose["services"].items() if str(svc.get("image", "")).startswith("baoquan")}


def test_compose_runs_api_workers_migrate_redis_and_postgres(compose):
    services = compose["services"]
    assert {"api", "worker", "migrate", "redis", "postgres", "minio"} <= set(services)
    assert set(_baoquan_services(compose)) == {"api", "worker", "migrate"}
    assert services["worker"]["deploy"]["replicas"]  # N workers, set from the env file
    assert services["minio"]["profiles"] == ["s3"]  # optional


def test_every_compose_command_is_a_baoquan_subcommand(compose):
    for name, svc in _baoquan_services(compose).items():
        command = svc["command"]
        assert command[0] == "baoquan", f"service {name} runs {command[0]!r}, not baoquan"
        _parses(command[1:])
    assert _baoquan_services(compose)["api"]["command"][1:3] == ["serve", "--no-worker"]  # workers are their own


def test_compose_sets_only_variables_the_service_reads(compose):
    known = _known_variables()
    for name, svc in _baoquan_services(compose).items():
        env = svc["environment"]
        unknown = {k for k in env if k.startswith("BAOQUAN_")} - known
        assert not unknown, f"service {name} sets variables nothing reads: {sorted(unknown)}"
        assert {"DATABASE_URL", "REDIS_URL", "BAOQUAN_FILE_KEY", "BAOQUAN_SECRET_KEY", "BAOQUAN_STORE_URL"} <= set(env)
    assert "BAOQUAN_OCR_THREADS" in compose["services"]["worker"]["environment"]


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_every_systemd_unit_runs_a_baoquan_subcommand(unit):
    lines = re.findall(r"^(ExecStart(?:Pre)?)=(.+)$", unit.read_text(), flags=re.M)
    assert any(kind == "ExecStart" for kind, _ in lines), f"{unit.name} has no ExecStart"
    for _, line in lines:
        argv = shlex.split(line.replace("%i", "1"))
        assert Path(argv[0]).name == "baoquan", f"{unit.name} runs {argv[0]}"
        _parses(argv[1:])
    assert "EnvironmentFile=/etc/baoquan/baoquan.env" in unit.read_text()


def test_the_units_are_api_worker_template_and_reconciler():
    assert {u.name for u in UNITS} == {"baoquan-api.service", "baoquan-worker@.service", "baoquan-reconcile.service"}
    assert (DEPLOY / "systemd" / "baoquan-reconcile.timer").exists()


@pytest.mark.parametrize("path", [DEPLOY / "systemd" / "baoquan.env.example", DEPLOY / "compose.env.example"],
                         ids=["systemd", "compose"])
def test_env_examples_name_only_known_variables(path):
    known = _known_variables()
    names = set(re.findall(r"^#?\s*(BAOQUAN_[A-Z0-9_]+)=", path.read_text(), flags=re.M))
    compose_only = {"BAOQUAN_WORKERS", "BAOQUAN_HTTP_PORT", "BAOQUAN_S3_BUCKET"}  # compose.yaml's own knobs
    assert names and not (names - known - compose_only), sorted(names - known - compose_only)
