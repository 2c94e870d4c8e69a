"""`baoquan verify CASE.json [--json] [--engine NAME]`: extract a case's documents, cross-check them.

Reads the case file (CONTRACT "Case file"), resolves its document paths relative to the
case file, runs ``extractors.pipeline.extract_path`` on each, then ``verify.engine.verify``.
With ``--json`` prints exactly one JSON object (CONTRACT "baoquan verify object") on stdout;
without it a short summary for a human. Exit 0 after a verification (discrepancies do not
make it fail), 2 on bad usage: case file missing or unreadable, invalid JSON, a case that
does not parse (unknown endorsement type, bad date…), a document file that does not exist,
or an unknown OCR engine.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["run", "load_case_file"]


class _Usage(Exception):
    pass


def load_case_file(path: str | Path) -> tuple[Any, dict[str, Any], list[Path]]:
    """(Case, raw JSON, absolute document paths) for a case file; ``_Usage`` says what is wrong."""
    from verify.errors import InputError
    from verify.types import parse_case

    p = Path(path)
    if not p.is_file():
        raise _Usage(f"case file not found: {p}")
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise _Usage(f"{p}: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise _Usage(f"{p}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from None
    try:
        case = parse_case(raw)
    except InputError as e:
        raise _Usage(f"{p}: {e}") from None
    docs = []
    for rel in case.documents:
        dp = (p.parent / rel).resolve()
        if not dp.is_file():
            raise _Usage(f"{p}: document not found: {rel}")
        docs.append(dp)
    return case, raw, docs


def _summary(d: dict[str, Any]) -> str:
    out = [f"{d['case_id']} ({d.get('type', '')}): {d['status']}, "
           f"{len(d['discrepancies'])} discrepancies, rules {d.get('rules_version', '?')}"]
    for m in d["missing_documents"]:
        out.append(f"  missing: {m}")
    for x in d["discrepancies"]:
        out.append(f"  [{x['severity']}] {x['code']} {x['field']}: {x['message']}")
    for k, v in d["prefill"].items():
        flag = "  ⚑ review" if v["needs_review"] else ""
        out.append(f"  prefill {k} = {v['value']} (from {v['source']}){flag}")
    return "\n".join(out)


def run(args, settings) -> int:
    from verify.engine import verify
    from verify.errors import RulesError
    from verify.requirements import load_rules

    try:
        case, _raw, paths = load_case_file(args.case)
    except _Usage as e:
        print(f"baoquan verify: error: {e}", file=sys.stderr)
        return 2
    rules_path = getattr(args, "rules", None)
    try:
        rules = load_rules(rules_path) if rules_path else None
    except RulesError as e:
        print(f"baoquan verify: error: {e}", file=sys.stderr)
        return 2

    from extractors.errors import EngineUnavailable
    from extractors.ocr import get_engine
    from extractors.pipeline import extract_path

    try:
        engine = get_engine(settings.ocr_engine, settings.models_dir)
    except EngineUnavailable as e:
        print(f"baoquan verify: error: {e}", file=sys.stderr)
        return 2
    extractions = []
    for rel, path in zip(case.documents, paths):
        ex = extract_path(path, engine)
        ex.file = rel  # report documents as the case file names them
        for part in ex.parts:
            part.file = rel
        extractions.append(ex)
    result = verify(case, extractions, rules).to_dict()
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        print(_summary(result))
    return 0
