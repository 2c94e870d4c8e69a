"""`baoquan eval DIR [--engine NAME] [--json OUT] [--limit N]`: measure the pipeline on a labelled set.

Reads every ``*.truth.json`` in DIR (written by ``samples.generate``) and the file beside
it, runs the real pipeline, and reports: classification accuracy per kind, quality-gate
precision/recall per code, orientation accuracy on rotated photos, field exact-match per
kind and field (clean renders vs degraded photos that pass the gate), the silent-error
rate (a wrong value with needs_review false), multi-document sheets (parts found, phantom
parts, orientation per part), and time per stage. Prints Markdown tables; ``--json``
writes every figure.
"""

from __future__ import annotations

import json
import math
import resource
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from extractors.defaults import PDF_RASTER_DPI
from extractors.ocr import DEFAULT_ENGINE

__all__ = ["run", "evaluate", "compare_value"]

TRUTH_PDF_DPI = 150  # samples.generate writes PDF boxes in 150-dpi pixels

QUALITY_CODES = (
    "blur", "glare", "too_dark", "overexposed", "low_resolution", "document_cropped",
    "not_a_document", "photocopy", "occluded", "screen_recapture",
)


def _canon(value) -> str:
    """A value as compared: width folded (NFKC), so a case number's （） and () are one."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def compare_value(expected, found) -> bool:
    """Whether a value read is the printed one, up to character width.

    >>> compare_value("(2021)湘0102民初15679号", "（2021）湘0102民初15679号"), compare_value("王建国", "王建")
    (True, False)
    """
    if isinstance(expected, list) or isinstance(found, list):
        return sorted(map(_canon, expected or [])) == sorted(map(_canon, found or []))
    return _canon(expected) == _canon(found)


def _truth_files(root: Path) -> list[tuple[Path, dict]]:
    out = []
    for tp in sorted(root.rglob("*.truth.json")):
        truth = json.loads(tp.read_text(encoding="utf-8"))
        stem = tp.name[: -len(".truth.json")]
        cands = [p for p in tp.parent.glob(stem + ".*") if not p.name.endswith(".truth.json")]
        if truth.get("file"):
            cands = [tp.parent / Path(truth["file"]).name] + cands
        cands = [p for p in cands if p.is_file()]
        if cands:
            out.append((cands[0], truth))
    return out


class _Tally:
    def __init__(self) -> None:
        self.kind = Counter()  # (truth_kind, ok) counts
        self.confusion = Counter()
        self.q = {c: Counter() for c in QUALITY_CODES}  # tp fp fn
        self.orient = Counter()
        self.fields = defaultdict(Counter)  # (kind, field, split) -> ok/n
        self.silent = Counter()
        self.auto = defaultdict(Counter)  # kind -> fields / auto / auto_right
        self.review = Counter()
        self.parts = Counter()
        self.part_orient = Counter()
        self.timings = defaultdict(list)
        self.errors = []
        self.docs = 0
        self.rows: list[dict] = []  # one per file: what was expected, what was found

    def doc(self, truth: dict, ex: dict) -> None:
        tk, fk = truth["kind"], ex["kind"]
        self.kind[(tk, tk == fk)] += 1
        self.confusion[(tk, fk)] += 1
        degraded = bool(truth.get("degradations"))
        split = "degraded" if degraded else "clean"
        ok_quality = ex["quality"]["ok"]
        for name, expected in (truth.get("fields") or {}).items():
            if expected in (None, "", []):
                continue
            f = ex["fields"].get(name)
            right = f is not None and compare_value(expected, f["value"])
            if tk == fk and (not degraded or ok_quality):
                key = (tk, name, split)
                self.fields[key]["n"] += 1
                self.fields[key]["ok"] += right
            self.silent["fields"] += 1
            if f is not None and not right and not f["needs_review"]:
                self.silent["silent"] += 1
            if f is not None and not f["needs_review"]:  # auto-accepted: no clerk looks at it
                self.auto[tk]["auto"] += 1  # counted under the document's true kind
                self.auto[tk]["auto_right"] += right
            self.auto[tk]["fields"] += 1
            if f is not None and f["needs_review"]:
                self.review["review"] += 1
            self.review["fields"] += 1


def _quality(t: _Tally, truth: dict, ex: dict) -> None:
    expected = set(truth.get("expected_quality") or [])
    found = {i["code"] for i in ex["quality"]["issues"]}
    for c in QUALITY_CODES:
        if c in expected and c in found:
            t.q[c]["tp"] += 1
        elif c in found:
            t.q[c]["fp"] += 1
        elif c in expected:
            t.q[c]["fn"] += 1


def _match_parts(tparts: list[dict], fparts: list[dict]) -> list[tuple[dict, int | None]]:
    """Each expected part with the index of the found part covering it (IoU ≥ 0.5), greedily."""
    used: set[int] = set()
    pairs = []
    for tp in tparts:
        best, best_iou = None, 0.0
        for j, fp in enumerate(fparts):
            if j in used or not fp.get("region"):
                continue
            if tp.get("page") and fp.get("page") and tp["page"] != fp["page"]:
                continue
            iou = _iou_quad(tp["region"], fp["region"])
            if iou > best_iou:
                best, best_iou = j, iou
        if best is not None and best_iou >= 0.5:
            used.add(best)
            pairs.append((tp, best))
        else:
            pairs.append((tp, None))
    return pairs


def _row(path: Path, truth: dict, ex: dict, docs: list[tuple[dict, dict]]) -> dict:
    """What was expected and found for one file; ``docs`` pairs each expected document with
    the found one (matched sheet parts, or the file itself). A field not read at all is
    listed with ``found: null``; a document of the wrong kind lists none."""
    wrong = []
    for t, f in docs:
        if t["kind"] != f["kind"]:  # misread kind: the row's kinds say so, fields are moot
            continue
        for name, expected in (t.get("fields") or {}).items():
            if expected in (None, "", []):
                continue
            got = f["fields"].get(name)
            if got is None:
                wrong.append({"field": name, "expected": expected, "found": None, "review": None})
            elif not compare_value(expected, got["value"]):
                wrong.append({"field": name, "expected": expected, "found": got["value"], "review": got["needs_review"]})
    return {
        "file": path.name, "kind": truth["kind"], "found_kind": ex["kind"],
        "parts": [p["kind"] for p in ex.get("parts", [])] if truth["kind"] == "multiple" else None,
        "expected_parts": [p["kind"] for p in truth.get("parts", [])] if truth["kind"] == "multiple" else None,
        "orientation": truth.get("orientation"), "found_orientation": ex.get("orientation"),
        "degradations": truth.get("degradations"), "expected_quality": truth.get("expected_quality"),
        "found_quality": [i["code"] for i in ex["quality"]["issues"]], "quality_ok": ex["quality"]["ok"],
        "wrong_fields": wrong,
        "measurements": ex.get("measurements"),
    }


def _orientation_ok(truth_deg: int, found: int | None) -> bool:
    return found is not None and (int(truth_deg) + int(found)) % 360 == 0


def _part_orientation(part: dict) -> int:
    """How a sheet part lies in the file, read off its region (the document's own TL, TR,
    … corners): sets generated before the photo's own rotation was added to each part's
    ``orientation`` carry the page-relative figure there.

    >>> _part_orientation({"region": [[800, 100], [800, 600], [500, 600], [500, 100]], "orientation": 0})
    90
    """
    region = part.get("region")
    if not region:
        return int(part.get("orientation", 0) or 0)
    (x0, y0), (x1, y1) = region[0], region[1]
    return int(round(math.degrees(math.atan2(y1 - y0, x1 - x0)) / 90.0)) * 90 % 360


def _iou_quad(a, b) -> float:
    import cv2
    import numpy as np

    pa = np.asarray(a, np.float32).reshape(-1, 2)
    pb = np.asarray(b, np.float32).reshape(-1, 2)
    ra = cv2.boundingRect(pa)
    rb = cv2.boundingRect(pb)
    x0, y0 = max(ra[0], rb[0]), max(ra[1], rb[1])
    x1, y1 = min(ra[0] + ra[2], rb[0] + rb[2]), min(ra[1] + ra[3], rb[1] + rb[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    union = ra[2] * ra[3] + rb[2] * rb[3] - inter
    return inter / union if union else 0.0


def evaluate(root: Path, engine_name: str = DEFAULT_ENGINE, limit: int | None = None, progress=None,
             model_root: Path | None = None) -> dict:
    from extractors.ocr import get_engine
    from extractors.pipeline import extract_path

    engine = get_engine(engine_name, model_root)
    items = _truth_files(root)
    if limit:
        items = items[:limit]
    t = _Tally()
    started = time.perf_counter()
    for i, (path, truth) in enumerate(items):
        t0 = time.perf_counter()
        try:
            ex = extract_path(path, engine).to_dict(with_lines=False)
        except Exception as exc:  # noqa: BLE001 - a crash is a finding, recorded with its type
            t.errors.append({"file": str(path), "error": f"{type(exc).__name__}: {exc}"})
            continue
        t.timings["total"].append((time.perf_counter() - t0) * 1000)
        for stage, ms in ex.get("timings_ms", {}).items():
            t.timings[stage].append(ms)
        t.docs += 1
        _quality(t, truth, ex)
        if truth["kind"] == "multiple":
            tparts = truth.get("parts", [])
            fparts = ex.get("parts", [])
            if path.suffix.lower() == ".pdf":  # the generator's PDF boxes are 150-dpi pixels
                f = TRUTH_PDF_DPI / PDF_RASTER_DPI
                fparts = [{**p, "region": [[x * f, y * f] for x, y in p["region"]]} if p.get("region") else p
                          for p in fparts]
            pairs = _match_parts(tparts, fparts)
            t.rows.append(_row(path, truth, ex, [(tp, fparts[j]) for tp, j in pairs if j is not None]))
            for tp, j in pairs:
                t.parts["expected"] += 1
                if j is not None:
                    t.parts["found"] += 1
                    fp = fparts[j]
                    t.part_orient["n"] += 1
                    t.part_orient["ok"] += _orientation_ok(_part_orientation(tp), fp.get("orientation"))
                    t.doc({**tp, "degradations": truth.get("degradations")}, fp)
            t.parts["sheets"] += 1
            t.parts["phantom_sheets"] += int(len(fparts) > sum(j is not None for _, j in pairs))
        else:
            t.rows.append(_row(path, truth, ex, [(truth, ex)]))
            t.doc(truth, ex)
            deg = int(truth.get("orientation", 0) or 0)
            if deg:
                ok = _orientation_ok(deg, ex.get("orientation"))
                t.orient["n"] += 1
                t.orient["ok"] += ok
                if ex["quality"]["ok"]:
                    t.orient["gated_n"] += 1
                    t.orient["gated_ok"] += ok
        if progress:
            progress(i + 1, len(items), path, ex)
    return _report(t, engine.name, time.perf_counter() - started, len(items))


def _gated_kinds(rows: list[dict]) -> tuple[int, int]:
    """(right, n) over single documents whose quality passed the gate."""
    gated = [r for r in rows if r["kind"] != "multiple" and r.get("quality_ok")]
    return sum(r["found_kind"] == r["kind"] for r in gated), len(gated)


def _pct(a: float, b: float) -> float | None:
    return round(100.0 * a / b, 2) if b else None


def _automation(auto: dict) -> dict:
    """Share of printed fields returned with ``needs_review: false`` (auto-accepted) and
    how many of those were right, overall and per kind."""
    def one(c: Counter) -> dict:
        return {"fields": c["fields"], "auto_accepted": c["auto"], "auto_share": _pct(c["auto"], c["fields"]),
                "auto_accuracy": _pct(c["auto_right"], c["auto"])}
    total = Counter()
    for c in auto.values():
        total.update(c)
    return {**one(total), "per_kind": {k: one(c) for k, c in sorted(auto.items())}}


def _report(t: _Tally, engine: str, seconds: float, n: int) -> dict:  # noqa: C901
    import statistics

    kinds = sorted({k for k, _ in t.kind})
    per_kind = {k: {"n": t.kind[(k, True)] + t.kind[(k, False)], "accuracy": _pct(t.kind[(k, True)], t.kind[(k, True)] + t.kind[(k, False)])} for k in kinds}
    total_ok = sum(v for (k, ok), v in t.kind.items() if ok)
    total = sum(t.kind.values())
    quality = {}
    for c, cnt in t.q.items():
        tp, fp, fn = cnt["tp"], cnt["fp"], cnt["fn"]
        if tp + fp + fn == 0:
            continue
        quality[c] = {"tp": tp, "fp": fp, "fn": fn,
                      "precision": round(tp / (tp + fp), 4) if tp + fp else None,
                      "recall": round(tp / (tp + fn), 4) if tp + fn else None}
    fields: dict = defaultdict(dict)
    for (kind, name, split), cnt in sorted(t.fields.items()):
        fields[kind].setdefault(name, {})[split] = {"n": cnt["n"], "exact": _pct(cnt["ok"], cnt["n"])}
    timings = {k: {"mean_ms": round(statistics.fmean(v), 1), "median_ms": round(statistics.median(v), 1)} for k, v in t.timings.items() if v}
    return {
        "engine": engine,
        "documents": n,
        "processed": t.docs,
        "crashes": t.errors,
        "seconds": round(seconds, 1),
        "seconds_per_document": round(seconds / max(t.docs, 1), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "classification": {"accuracy": _pct(total_ok, total), "n": total, "per_kind": per_kind,
                           "gate_passed_accuracy": _pct(*_gated_kinds(t.rows)),
                           "confusion": {f"{a}->{b}": v for (a, b), v in sorted(t.confusion.items()) if a != b}},
        "quality": quality,
        "orientation": {"n": t.orient["n"], "accuracy": _pct(t.orient["ok"], t.orient["n"]),
                        "gate_passed_n": t.orient["gated_n"],
                        "gate_passed_accuracy": _pct(t.orient["gated_ok"], t.orient["gated_n"])},
        "fields": fields,
        "silent_error_rate": _pct(t.silent["silent"], t.silent["fields"]),
        "silent_errors": t.silent["silent"],
        "review_rate": _pct(t.review["review"], t.review["fields"]),
        "automation": _automation(t.auto),
        "field_count": t.silent["fields"],
        "sheets": {
            "n": t.parts["sheets"],
            "parts_found": _pct(t.parts["found"], t.parts["expected"]),
            "sheets_without_phantom": _pct(t.parts["sheets"] - t.parts["phantom_sheets"], t.parts["sheets"]),
            "part_orientation": _pct(t.part_orient["ok"], t.part_orient["n"]),
        },
        "timings": timings,
        "rows": t.rows,
    }


def to_markdown(r: dict) -> str:
    out = [f"Engine `{r['engine']}`, {r['processed']} documents, {r['seconds_per_document']} s/document, "
           f"peak RSS {r['peak_rss_mb']} MB, crashes {len(r['crashes'])}.", ""]
    c = r["classification"]
    out += ["| kind | n | classified right % |", "| --- | --- | --- |"]
    out += [f"| {k} | {v['n']} | {v['accuracy']} |" for k, v in c["per_kind"].items()]
    out += [f"| **all** | {c['n']} | **{c['accuracy']}** |", "",
            f"Single documents that pass the quality gate: {c.get('gate_passed_accuracy')} % classified right.", ""]
    out += ["| quality code | tp | fp | fn | precision | recall |", "| --- | --- | --- | --- | --- | --- |"]
    out += [f"| {k} | {v['tp']} | {v['fp']} | {v['fn']} | {v['precision']} | {v['recall']} |" for k, v in r["quality"].items()]
    o = r["orientation"]
    out += ["", f"Orientation right on {o['accuracy']}% of {o['n']} rotated photos; on {o['gate_passed_accuracy']}% "
                f"of the {o['gate_passed_n']} that pass the quality gate.", ""]
    out += ["| kind | field | clean exact % (n) | degraded, gate passed, exact % (n) |", "| --- | --- | --- | --- |"]
    for kind, fs in r["fields"].items():
        for name, s in fs.items():
            cl, dg = s.get("clean", {}), s.get("degraded", {})
            out.append(f"| {kind} | {name} | {cl.get('exact', '–')} ({cl.get('n', 0)}) | {dg.get('exact', '–')} ({dg.get('n', 0)}) |")
    out += ["", f"Silent errors (wrong value, needs_review false): {r['silent_errors']} of {r['field_count']} fields = {r['silent_error_rate']}%; "
            f"fields flagged for review: {r['review_rate']}%.", ""]
    a = r.get("automation") or {}
    if a:
        out += [f"Auto-accepted (needs_review false): {a['auto_accepted']} of {a['fields']} fields = {a['auto_share']}%, "
                f"of which {a['auto_accuracy']}% right.", ""]
    s = r["sheets"]
    if s["n"]:
        out += [f"Sheets: {s['n']}; parts found {s['parts_found']}%; sheets without phantom parts {s['sheets_without_phantom']}%; "
                f"part orientation right {s['part_orientation']}%.", ""]
    out += ["| stage | mean ms | median ms |", "| --- | --- | --- |"]
    out += [f"| {k} | {v['mean_ms']} | {v['median_ms']} |" for k, v in r["timings"].items()]
    return "\n".join(out)


def run(args, settings) -> int:
    root = Path(args.dir)
    if not root.is_dir():
        print(f"baoquan eval: {root} is not a directory", file=sys.stderr)
        return 2
    if not any(root.rglob("*.truth.json")):
        print(f"baoquan eval: no *.truth.json files under {root} (make eval-data writes some)", file=sys.stderr)
        return 2

    def progress(i, n, path, ex):
        if i % 25 == 0 or i == n:
            print(f"eval: {i}/{n}", file=sys.stderr)

    report = evaluate(root, settings.ocr_engine, getattr(args, "limit", None), progress, settings.models_dir)
    print(to_markdown(report))
    if getattr(args, "json", None):
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0
