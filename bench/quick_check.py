"""The quick check (``POST /api/v1/quick-check``): its latency over HTTP, and how often it
agrees with the full pipeline.

Latency (the default): ``--n`` phone photos (0-2 degradations each, no clean scans) are
generated with seed 21 (used nowhere else); the app runs in this process under uvicorn
on a free loopback port, with a temporary data dir and an embedded Redis. Each photo is
posted once as an agent, one request at a time, client-side wall time (upload, auth,
sniffing, the check, the JSON), after one warm-up request:

    (a) idle: no worker, empty queue;
    (b) busy: a ``baoquan worker`` process (the way operators start it) working through
        ``--queue`` documents uploaded to a case just before, topped up whenever fewer
        than 5 are left so the worker never runs dry while we measure.

Agreement (``--agreement DIR``): on each ``DIR/*.jpg`` the quick check's kind and retake
verdict against ``extractors.pipeline.extract``'s kind and ``not quality.ok`` (and each
against the file's ``.truth.json`` kind). ``--region-px`` and ``--text-px`` take several values to
tune ``extractors.defaults.QUICK_REGION_LONG_SIDE`` and ``QUICK_TEXT_PX`` (every pair
is tried) — on a generated calibration set (``python -m
samples.generate --out /tmp/qc_cal --n 80 --seed 11``), never on eval-data/.
``--reference FILE`` caches the full pipeline's results (JSON Lines by sha256).

    python -m bench.quick_check [--n 40] [--queue 20] [--out bench/results/quick_check.json]
    python -m bench.quick_check --agreement samples/docs [--region-px 640] [--text-px 22] [--reference F]

Both write their section into ``--out`` (other sections are kept).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "quick_check.json"
SEED = 21  # the latency set's generator seed: used by no other set or test
BUSY_MIN_QUEUED = 5  # documents left in the queue below which the busy phase uploads more
PASSWORD = "bench-quick-check-password"


# --------------------------------------------------------------------------- helpers


def _pct(xs: list[float], p: float) -> float:
    """The p-th percentile (linear interpolation between closest ranks)."""
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50_ms": round(_pct(ms, 50), 1), "p95_ms": round(_pct(ms, 95), 1),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
            "min_ms": round(min(ms), 1) if ms else None, "max_ms": round(max(ms), 1) if ms else None}


def _machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1)
    except (ValueError, OSError):
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gb": mem_gb, "python": platform.python_version(),
            "platform": platform.platform(), "load_average_1min": round(os.getloadavg()[0], 2)}


def _write(section: str, value: dict, out: Path) -> None:
    data = {}
    if out.exists():
        try:
            data = json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            data = {}
    data["benchmark"] = "quick_check"
    data[section] = value
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- agreement


def _full_reference(path: Path, data: bytes, engine, cache: dict, cache_file: Path | None) -> dict:
    from extractors.pipeline import extract

    sha = hashlib.sha256(data).hexdigest()
    if sha in cache:
        return cache[sha]
    t = time.perf_counter()
    ex = extract(data, path.name, engine)
    row = {"sha256": sha, "file": path.name, "kind": ex.kind, "ok": ex.quality.ok,
           "codes": sorted({i.code for i in ex.quality.issues if i.severity == "error"}),
           "parts": [d.kind for d in ex.parts] if ex.parts else [], "ms": round((time.perf_counter() - t) * 1000, 1)}
    cache[sha] = row
    if cache_file is not None:
        with cache_file.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return row


def agreement(directory: Path, variants: list[tuple[float, float]], reference: Path | None,
              pattern: str = "*.jpg") -> dict:
    """``variants``: (region_px, text_px) pairs of ``quick_check`` to measure."""
    from extractors.ocr import get_engine
    from extractors.orientation import get_orientation_detector
    from extractors.quick_check import quick_check

    engine = get_engine()
    get_orientation_detector()
    cache: dict = {}
    if reference is not None and reference.exists():
        for line in reference.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                cache[row["sha256"]] = row
    files = sorted(directory.glob(pattern))
    # file by file, the full pipeline then each quick variant: both timed under the same load
    # (unless the full result comes from the cache)
    by_variant: dict[tuple[float, float], list[dict]] = {v: [] for v in variants}
    for p in files:
        data = p.read_bytes()
        ref = _full_reference(p, data, engine, cache, reference)
        truth_file = p.with_name(p.stem + ".truth.json")
        truth = json.loads(truth_file.read_text(encoding="utf-8")).get("kind") if truth_file.exists() else None
        for region_px, text_px in variants:
            t = time.perf_counter()
            v = quick_check(data, engine, region_px=region_px, text_px=text_px)
            ms = (time.perf_counter() - t) * 1000
            full_retake = not ref["ok"] or ref["kind"] == "unreadable"
            by_variant[(region_px, text_px)].append({
                "file": p.name, "truth_kind": truth, "full_kind": ref["kind"], "quick_kind": v.kind,
                "full_retake": full_retake, "quick_retake": v.retake, "full_error_codes": ref["codes"],
                "quick_error_codes": sorted({i.code for i in v.quality.issues if i.severity == "error"}),
                "quick_ms": round(ms, 1), "full_ms": ref["ms"], "message_zh": v.message_zh})
    runs = {}
    for (region_px, text_px), rows in by_variant.items():
        n = len(rows)
        kind_agree = sum(r["quick_kind"] == r["full_kind"] for r in rows)
        retake_agree = sum(r["quick_retake"] == r["full_retake"] for r in rows)
        with_truth = [r for r in rows if r["truth_kind"]]
        key = f"region_px={region_px:g} text_px={text_px:g}"
        runs[key] = {
            "region_px": region_px,
            "text_px": text_px,
            "files": n,
            "kind_agreement": round(kind_agree / n, 4) if n else None,
            "kind_agree_n": kind_agree,
            "retake_agreement": round(retake_agree / n, 4) if n else None,
            "retake_agree_n": retake_agree,
            "retake_quick_only": sum(r["quick_retake"] and not r["full_retake"] for r in rows),
            "retake_full_only": sum(r["full_retake"] and not r["quick_retake"] for r in rows),
            "kind_right_vs_truth": {"quick": sum(r["quick_kind"] == r["truth_kind"] for r in with_truth),
                                    "full": sum(r["full_kind"] == r["truth_kind"] for r in with_truth),
                                    "of": len(with_truth)},
            "quick_ms": {"p50": round(_pct([r["quick_ms"] for r in rows], 50), 1),
                         "p95": round(_pct([r["quick_ms"] for r in rows], 95), 1)},
            "full_ms": {"p50": round(_pct([r["full_ms"] for r in rows], 50), 1),
                        "p95": round(_pct([r["full_ms"] for r in rows], 95), 1)},
            "full_over_quick_time_median": round(statistics.median(r["full_ms"] / r["quick_ms"] for r in rows), 2)
            if rows else None,
            "disagreements": [r for r in rows if r["quick_kind"] != r["full_kind"]
                              or r["quick_retake"] != r["full_retake"]],
        }
        s = runs[key]
        print(f"{directory} {key}: kind {s['kind_agree_n']}/{n} ({s['kind_agreement']:.1%}), "
              f"retake {s['retake_agree_n']}/{n} ({s['retake_agreement']:.1%}; quick only {s['retake_quick_only']}, "
              f"full only {s['retake_full_only']}), vs truth quick {s['kind_right_vs_truth']['quick']} full "
              f"{s['kind_right_vs_truth']['full']} of {s['kind_right_vs_truth']['of']}; "
              f"quick p50 {s['quick_ms']['p50']} ms, full p50 {s['full_ms']['p50']} ms "
              f"(full/quick per file, median {s['full_over_quick_time_median']}×)", flush=True)
    return {"directory": str(directory), "pattern": pattern, "engine": engine.name, "machine": _machine(),
            "runs": runs}


# --------------------------------------------------------------------------- latency


def _photos(n: int, tmp: Path) -> list[Path]:
    from samples.generate import generate_set

    out = tmp / f"photos_seed{SEED}"
    # a few more than n: multi-page kinds can come out as PDFs, which are not photos
    generate_set(str(out), n + n // 4 + 2, SEED, clean_ratio=0.0)
    files = sorted(p for p in out.iterdir() if p.suffix.lower() in (".jpg", ".png"))
    if len(files) < n:
        raise RuntimeError(f"the generator gave {len(files)} photos, fewer than {n}")
    return files[:n]


def _serve(app):
    from bench.servers import serve_in_thread

    return serve_in_thread(app)


def _worker_cmd() -> list[str]:
    script = Path(sys.executable).with_name("baoquan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "intake.cli"]


def _post_all(http, files: list[Path], headers: dict, stop_when=None) -> tuple[list[float], list[dict]]:
    ms, bodies = [], []
    for p in files:
        data = p.read_bytes()
        t = time.perf_counter()
        r = http.post("/api/v1/quick-check", headers=headers, files={"file": (p.name, data, "image/jpeg")})
        ms.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
        bodies.append(r.json())
        if stop_when is not None:
            stop_when()
    return ms, bodies


def latency(n: int, queue_docs: int) -> dict:
    import httpx

    from intake.app import create_app
    from intake.auth import create_user
    from intake.runtime import Runtime, start_embedded_redis
    from intake.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="bench-quick-check-"))
    worker = None
    redis_client = None
    server = None
    try:
        print(f"generating {n} phone photos (seed {SEED}) …", flush=True)
        photos = _photos(n, tmp)
        redis_client, url = start_embedded_redis(tmp / "data" / "redis")
        settings = Settings(data_dir=tmp / "data", redis_url=url, env="development")
        rt = Runtime(settings)
        settings.ensure_dirs()
        rt.db.migrate()
        with rt.db.session() as s:
            for name, role in (("bench-agent", "agent"), ("bench-clerk", "clerk")):
                create_user(s, name, role, PASSWORD)
            s.commit()
        server, thread, base = _serve(create_app(runtime=rt))
        http = httpx.Client(base_url=base, timeout=120)

        def token(name: str) -> dict:
            r = http.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
            r.raise_for_status()
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        agent, clerk = token("bench-agent"), token("bench-clerk")
        t = time.perf_counter()
        warm = http.post("/api/v1/quick-check", headers=agent,
                         files={"file": (photos[0].name, photos[0].read_bytes(), "image/jpeg")})
        warm.raise_for_status()
        first_ms = (time.perf_counter() - t) * 1000
        print(f"first request (loads the models): {first_ms:.0f} ms", flush=True)

        # (a) idle
        load_idle = round(os.getloadavg()[0], 2)
        idle_ms, bodies = _post_all(http, photos, agent)
        idle = {**_summary(idle_ms), "load_average_1min_before": load_idle}
        print(f"idle: p50 {idle['p50_ms']} ms, p95 {idle['p95_ms']} ms", flush=True)

        # (b) busy: a real worker process with documents queued
        policies = json.loads((ROOT / "samples" / "policies.json").read_text(encoding="utf-8"))[:1]
        assert http.post("/api/v1/policies", json=policies, headers=clerk).status_code == 201
        r = http.post("/api/v1/cases", json={"policy_no": policies[0]["policy_no"], "type": "id_renewal"},
                      headers=agent)
        r.raise_for_status()
        case_id = r.json()["id"]
        sources = sorted((ROOT / "samples" / "docs").glob("*.jpg"))
        uploaded = [0]

        def upload(k: int) -> None:
            files = []
            for _ in range(k):
                p = sources[uploaded[0] % len(sources)]
                # distinct bytes per upload so each is its own stored file and job
                files.append(("files", (f"busy_{uploaded[0]}.jpg", p.read_bytes() + uploaded[0].to_bytes(4, "big"),
                                        "image/jpeg")))
                uploaded[0] += 1
            rr = http.post(f"/api/v1/cases/{case_id}/documents", headers=agent, files=files)
            rr.raise_for_status()

        def queued() -> int:
            return len(rt.queue)

        def top_up() -> None:
            if queued() < BUSY_MIN_QUEUED:
                upload(BUSY_MIN_QUEUED * 2)

        upload(queue_docs)
        env = settings.child_env()
        log_path = tmp / "worker.log"
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(_worker_cmd() + ["worker", "--data", str(settings.data)], env=env,
                                      stdout=log, stderr=subprocess.STDOUT)
        # wait until the worker has taken its first job
        deadline = time.monotonic() + 120
        while queued() >= queue_docs and time.monotonic() < deadline:
            if worker.poll() is not None:
                raise RuntimeError(f"worker exited: {log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        queued_before = queued()
        load_busy = round(os.getloadavg()[0], 2)
        busy_ms, _ = _post_all(http, photos, agent, stop_when=top_up)
        queued_after = queued()
        if worker.poll() is not None:
            raise RuntimeError(f"worker exited during the busy phase: {log_path.read_text(errors='replace')[-2000:]}")
        busy = {**_summary(busy_ms), "load_average_1min_before": load_busy, "documents_uploaded": uploaded[0],
                "queued_at_start": queued_before, "queued_at_end": queued_after}
        print(f"busy: p50 {busy['p50_ms']} ms, p95 {busy['p95_ms']} ms (queue {queued_before} → {queued_after}, "
              f"{uploaded[0]} documents uploaded)", flush=True)
        kinds: dict[str, int] = {}
        for b in bodies:
            kinds[b["kind"]] = kinds.get(b["kind"], 0) + 1
        return {
            "what": "client-side wall time of POST /api/v1/quick-check (one request at a time, after one warm-up)",
            "photos": {"n": len(photos), "generator": f"samples.generate seed {SEED}, clean_ratio 0 (phone photos, "
                       "0-2 degradations)", "kinds_reported": kinds,
                       "retake_reported": sum(b["retake"] for b in bodies)},
            "engine": settings.ocr_engine,
            "first_request_ms": round(first_ms, 1),
            "idle": idle,
            "busy": busy,
            "busy_worker": "`baoquan worker` subprocess (RQ, fork per job, engine preloaded) on the same machine",
            "machine": _machine(),
        }
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(10)
        if server is not None:
            server.should_exit = True
        if redis_client is not None and hasattr(redis_client, "shutdown"):
            try:
                redis_client.shutdown(nosave=True)
            except Exception:
                pass
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- main


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=40, help="photos posted per phase (default 40)")
    p.add_argument("--queue", type=int, default=20, help="documents queued for the busy phase (default 20)")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--agreement", type=Path, metavar="DIR", help="measure agreement with the full pipeline on DIR")
    p.add_argument("--pattern", default="*.jpg", help="files of DIR to use (default *.jpg)")
    p.add_argument("--region-px", type=float, nargs="+",
                   help="QUICK_REGION_LONG_SIDE values to try (default: the module's)")
    p.add_argument("--text-px", type=float, nargs="+", help="QUICK_TEXT_PX values to try (default: the module's)")
    p.add_argument("--reference", type=Path, help="cache of the full pipeline's results (JSON Lines)")
    p.add_argument("--section", help="name of the section written into --out (default: agreement_<dir name>)")
    args = p.parse_args(argv)
    if args.agreement:
        from extractors.defaults import QUICK_REGION_LONG_SIDE, QUICK_TEXT_PX

        variants = [(r, t) for r in args.region_px or [QUICK_REGION_LONG_SIDE] for t in args.text_px or [QUICK_TEXT_PX]]
        result = agreement(args.agreement, variants, args.reference, args.pattern)
        _write(args.section or f"agreement_{args.agreement.name}", result, args.out)
        return 0
    _write("latency", latency(args.n, args.queue), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
