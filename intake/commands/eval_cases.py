"""`baoquan eval-cases DIR [--truth] [--json OUT] [--engine NAME]`: measure verification.

DIR holds case files (``**/case.json`` or any ``*.json`` with ``case_id`` and ``type``) that
carry ``expected_discrepancies`` (codes the verifier must report; empty = a clean case) and
optionally ``expected_prefill`` and ``truth_documents`` (written by ``samples.plant``).

Modes:

- ``--truth``: each document's Extraction is built from ``truth_documents`` (the printed
  values, read perfectly): this measures the rules alone. (The CLI may pass ``--truth`` as a
  flag or with a value; a value naming an existing JSON file ``{case_id: truth_documents}``
  replaces the truth embedded in the cases.)
- default: the documents go through the real pipeline (``extractors.pipeline``): this
  measures the whole system. OCR-heavy: mind the shared CPU.

Prints per-code recall, the false-discrepancy rate on clean cases (any discrepancy; and
errors only), unexpected extra codes on faulted cases, and per endorsement type the share
of expected prefill values produced correctly. ``--json OUT`` writes every figure.
Exit 0 after an evaluation, 2 on bad usage.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["run", "evaluate", "find_cases"]


def find_cases(root: Path) -> list[Path]:
    out = []
    for p in sorted(root.rglob("*.json")):
        if p.name == "index.json" or p.name.endswith(".truth.json"):
            continue
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(d, dict) and "case_id" in d and "type" in d:
            out.append(p)
    return out


def _norm(v: Any) -> str:
    from verify.masking import compact_number

    s = str(v).strip()
    if s.replace(" ", "").replace("-", "").isdigit():
        return compact_number(s)
    return s


def evaluate(paths: list[Path], truth: bool, engine_name: str = "rapidocr",
             truth_override: dict[str, Any] | None = None, log=None, model_root: Path | None = None) -> dict[str, Any]:
    """Run every case and tally the figures (see module docstring)."""
    from extractors.truth import extraction_from_truth
    from verify.engine import verify
    from verify.requirements import default_rules
    from verify.types import parse_case

    rules = default_rules()
    engine = extract_path = None
    if not truth:
        from extractors.ocr import get_engine
        from extractors.pipeline import extract_path

        engine = get_engine(engine_name, model_root)

    hits: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    clean_n = clean_fp = clean_fp_err = 0
    clean_fp_codes: Counter[str] = Counter()
    faulted_n = faulted_exact = 0
    prefill_tot: Counter[str] = Counter()
    prefill_ok: Counter[str] = Counter()
    skipped: list[dict[str, str]] = []
    misses: list[dict[str, Any]] = []
    false_pos: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for p in paths:
        raw = json.loads(p.read_text(encoding="utf-8"))
        case = parse_case(raw)
        expected = {e["code"] if isinstance(e, dict) else str(e) for e in raw.get("expected_discrepancies") or []}
        if not truth:  # faults the rendered images cannot carry are measured in truth mode only
            expected -= set(raw.get("truth_only_codes") or [])
        if truth:
            tdocs = (truth_override or {}).get(case.case_id) or raw.get("truth_documents")
            if not tdocs:
                skipped.append({"case": case.case_id, "reason": "no truth_documents"})
                continue
            extractions = [extraction_from_truth(f, tdocs[f]) for f in case.documents if f in tdocs]
        else:
            extractions = []
            missing = [f for f in case.documents if not (p.parent / f).is_file()]
            if missing:
                skipped.append({"case": case.case_id, "reason": f"document files absent: {missing[0]}"})
                continue
            for f in case.documents:
                ex = extract_path(p.parent / f, engine)  # type: ignore[misc]
                ex.file = f
                for part in ex.parts:
                    part.file = f
                extractions.append(ex)
        v = verify(case, extractions, rules)
        got = set(v.codes())
        if expected or raw.get("planted_faults"):
            faulted_n += 1
            faulted_exact += got == expected
            for c in expected:
                planted[c] += 1
                hits[c] += c in got
            for c in got - expected:
                extra[c] += 1
            if expected - got:
                misses.append({"case": case.case_id, "type": case.type, "missed": sorted(expected - got),
                               "got": sorted(got), "faults": raw.get("planted_faults")})
        else:
            clean_n += 1
            if got:
                clean_fp += 1
                clean_fp_codes.update(got)
                false_pos.append({"case": case.case_id, "type": case.type,
                                  "discrepancies": [d.to_dict() | {"box": None} for d in v.discrepancies]})
            if any(d.severity == "error" for d in v.discrepancies):
                clean_fp_err += 1
        for key, want in (raw.get("expected_prefill") or {}).items():
            prefill_tot[case.type] += 1
            item = v.prefill.get(key)
            if item is not None and _norm(item.value) == _norm(want):
                prefill_ok[case.type] += 1
        if log:
            log(case.case_id)
    codes = sorted(set(planted) | set(extra) | set(clean_fp_codes))
    per_code = {c: {"planted": planted[c], "found": hits[c],
                    "recall": round(hits[c] / planted[c], 4) if planted[c] else None,
                    "extra_on_faulted": extra[c], "on_clean": clean_fp_codes[c]} for c in codes}
    total_planted = sum(planted.values())
    report = {
        "mode": "truth" if truth else "ocr",
        "engine": None if truth else engine_name,
        "rules_version": rules.version,
        "cases": clean_n + faulted_n,
        "skipped": skipped,
        "clean_cases": clean_n,
        "faulted_cases": faulted_n,
        "recall": round(sum(hits.values()) / total_planted, 4) if total_planted else None,
        "false_discrepancy_rate": round(clean_fp / clean_n, 4) if clean_n else None,
        "false_error_rate": round(clean_fp_err / clean_n, 4) if clean_n else None,
        "faulted_exact_rate": round(faulted_exact / faulted_n, 4) if faulted_n else None,
        "per_code": per_code,
        "prefill": {t: {"expected": prefill_tot[t], "correct": prefill_ok[t],
                        "share": round(prefill_ok[t] / prefill_tot[t], 4)} for t in sorted(prefill_tot)},
        "seconds": round(time.perf_counter() - t0, 2),
        "misses": misses[:50],
        "false_positives": false_pos[:50],
    }
    return report


def _markdown(r: dict[str, Any]) -> str:
    pct = lambda x: "–" if x is None else f"{100 * x:.1f}%"  # noqa: E731
    out = [f"# eval-cases ({r['mode']}, rules {r['rules_version']})", "",
           f"cases {r['cases']} (clean {r['clean_cases']}, faulted {r['faulted_cases']}, "
           f"skipped {len(r['skipped'])}); {r['seconds']} s", "",
           f"- recall over planted codes: {pct(r['recall'])}",
           f"- false-discrepancy rate on clean cases: {pct(r['false_discrepancy_rate'])} "
           f"(errors only: {pct(r['false_error_rate'])})",
           f"- faulted cases with exactly the planted codes: {pct(r['faulted_exact_rate'])}", "",
           "| code | planted | found | recall | extra on faulted | on clean |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for c, x in r["per_code"].items():
        out.append(f"| {c} | {x['planted']} | {x['found']} | {pct(x['recall'])} | "
                   f"{x['extra_on_faulted']} | {x['on_clean']} |")
    out += ["", "| endorsement type | prefill expected | correct | share |", "| --- | ---: | ---: | ---: |"]
    for t, x in r["prefill"].items():
        out.append(f"| {t} | {x['expected']} | {x['correct']} | {pct(x['share'])} |")
    return "\n".join(out)


def run(args, settings) -> int:
    from verify.errors import VerifyError

    root = Path(args.dir)
    if not root.is_dir():
        print(f"baoquan eval-cases: error: not a directory: {root}", file=sys.stderr)
        return 2
    paths = find_cases(root)
    if not paths:
        print(f"baoquan eval-cases: error: no case files under {root}", file=sys.stderr)
        return 2
    truth_arg = getattr(args, "truth", False)
    override = None
    if isinstance(truth_arg, str) and Path(truth_arg).is_file():
        try:
            override = json.loads(Path(truth_arg).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            print(f"baoquan eval-cases: error: {truth_arg}: invalid JSON: {e}", file=sys.stderr)
            return 2
    truth = bool(truth_arg) and str(truth_arg).lower() not in ("0", "false", "no")
    try:
        report = evaluate(paths, truth, settings.ocr_engine, override, model_root=settings.models_dir)
    except VerifyError as e:
        print(f"baoquan eval-cases: error: {e}", file=sys.stderr)
        return 2
    print(_markdown(report))
    out = getattr(args, "json", None)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
