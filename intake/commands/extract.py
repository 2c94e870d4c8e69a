"""`baoquan extract FILE... [--json] [--engine NAME]`: the pipeline in-process, one object per file.

JSON Lines on stdout and nothing else (logs go to stderr); exit 0 even when a file is
unreadable — that file's object says why.
"""

from __future__ import annotations

import json
import sys

__all__ = ["run"]


def _summary(d: dict) -> str:
    out = [f"{d['file']}: {d['kind']} ({d['kind_confidence']:.2f})"]
    for issue in d["quality"]["issues"]:
        out.append(f"  quality {issue['severity']}: {issue['code']} — {issue['message']}")
    docs = d.get("parts") or [d]
    for i, part in enumerate(docs):
        if d.get("parts"):
            out.append(f"  part {i + 1}: {part['kind']}")
        for name, f in part["fields"].items():
            flag = "  ⚑ review" if f["needs_review"] else ""
            out.append(f"    {name}: {f['value']}{flag}")
    return "\n".join(out)


def run(args, settings) -> int:
    from extractors.errors import EngineUnavailable
    from extractors.ocr import get_engine
    from extractors.pipeline import extract_path

    files = list(getattr(args, "files", None) or [])
    if not files:
        print("baoquan extract: give at least one FILE", file=sys.stderr)
        return 2
    try:
        engine = get_engine(settings.ocr_engine, settings.models_dir)
    except EngineUnavailable as exc:
        print(f"baoquan extract: {exc}", file=sys.stderr)
        return 2
    with_lines = not getattr(args, "no_lines", False)
    for path in files:
        d = extract_path(path, engine).to_dict(with_lines=with_lines)
        if getattr(args, "json", False):
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            print(_summary(d))
    return 0
