"""Load and validate the requirement matrix (``verify/rules.toml``).

``load_rules(path=None)`` reads the packaged default (or an override path),
``parse_rules(text, path=…)`` validates TOML text. Everything wrong raises ``RulesError``
whose message names the offending key and the line it sits on, so the business staff who
edit the file can find it::

    >>> text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    >>> parse_rules(text.replace("max_age_months = 6", "max_age_months = 'six'"))
    Traceback (most recent call last):
    ...
    verify.errors.RulesError: rules.toml, line 31, key 'thresholds.income_proof_max_age_months': must be an integer, got 'six'

The file format is described in its own header comment.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.kinds import FIELDS, KINDS
from verify.errors import RulesError
from verify.types import ENDORSEMENT_TYPES, POLICY_STATUSES

__all__ = [
    "DEFAULT_RULES_PATH",
    "PARTIES",
    "CONDITIONS",
    "CHECKS",
    "IncomeBand",
    "DocRequirement",
    "PrefillSource",
    "TypeRules",
    "RiskRules",
    "Rules",
    "load_rules",
    "parse_rules",
    "default_rules",
]

DEFAULT_RULES_PATH = Path(__file__).with_name("rules.toml")

PARTIES = ("policyholder", "insured", "payee", "new_beneficiary")
CONDITIONS = ("insured_is_not_policyholder", "reason_divorce", "method_bank_transfer")
CHECKS = ("income", "relationship")
NAME_MATCH = ("exact", "variants")
SEVERITIES = ("error", "warning")
_DOC_KINDS = tuple(k for k in KINDS)


@dataclass(frozen=True)
class IncomeBand:
    max_age: int
    multiple: int


@dataclass(frozen=True)
class DocRequirement:
    """One required document: ``kinds`` holds one kind, or the alternatives of ``one_of``."""

    party: str
    kinds: tuple[str, ...]
    when: str | None = None

    @property
    def label(self) -> str:
        return self.kinds[0] if len(self.kinds) == 1 else "|".join(self.kinds)


@dataclass(frozen=True)
class PrefillSource:
    party: str
    kind: str
    field: str


@dataclass
class TypeRules:
    name: str
    title: str
    allowed_status: tuple[str, ...]
    payee: str
    requested_fields: tuple[str, ...]
    documents: tuple[DocRequirement, ...]
    optional_documents: tuple[str, ...] = ()
    prefill: dict[str, PrefillSource] = field(default_factory=dict)
    checks: tuple[str, ...] = ()
    income_party: str = "insured"
    auto_approve: bool = False  # straight-through: approved by `system` when nothing is open

    def used_kinds(self) -> set[str]:
        """Every kind this endorsement type uses (required in any path, or optional)."""
        out = set(self.optional_documents)
        for req in self.documents:
            out.update(req.kinds)
        return out


#: the parts of ``[risk.points]``, ``[risk.agent]`` and their defaults (points)
RISK_POINTS = {"error": 12, "warning": 4, "discrepancies_cap": 48, "quality_error": 6, "quality_warning": 2,
               "quality_cap": 18}
RISK_AGENT = {"returned": 2, "rejected": 5, "flagged": 4, "cap": 20}


@dataclass(frozen=True)
class RiskRules:
    """``[risk]``: windows and thresholds of the risk warnings, and the risk score's weights."""

    shared_window_days: int = 90
    agent_window_days: int = 90
    stale_capture_days: int = 180
    capture_after_upload_hours: int = 14
    image_max_distance: int = 3
    image_max_distance_same_number: int = 10
    editors: tuple[str, ...] = ()
    points: dict[str, float] = field(default_factory=lambda: dict(RISK_POINTS))
    warnings: dict[str, float] = field(default_factory=dict)  # code → points
    warnings_cap: float = 60
    money_per_10k: float = 2
    money_cap: float = 25
    money_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type → "requested.x" | "policy.x"
    agent: dict[str, float] = field(default_factory=lambda: dict(RISK_AGENT))


@dataclass
class Rules:
    version: str
    income_proof_max_age_months: int
    name_match: str
    uncertain_severity: str
    unexpected_document_severity: str
    income_multiple: tuple[IncomeBand, ...]
    required_fields: dict[str, tuple[str, ...]]
    seal_kinds: tuple[str, ...]
    types: dict[str, TypeRules]
    source: str = "rules.toml"
    risk: RiskRules = field(default_factory=RiskRules)

    def multiple_for_age(self, age: int | None) -> int:
        """The income multiple for an insured of ``age`` (the strictest band when unknown)."""
        if age is None:
            return max(b.multiple for b in self.income_multiple)
        for band in self.income_multiple:
            if age <= band.max_age:
                return band.multiple
        return self.income_multiple[-1].multiple


# --------------------------------------------------------------------------- line finding


def _strip_comment(line: str) -> str:
    out, quote = [], None
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        out.append(ch)
    return "".join(out)


def line_of(text: str, path: tuple[str, ...]) -> int | None:
    """1-based line where the dotted ``path`` appears: each component searched after the previous."""
    lines = [_strip_comment(ln) for ln in text.splitlines()]
    start, found = 0, None
    for comp in path:
        if not comp:
            continue
        pat = re.compile(rf"(?<![\w\-]){re.escape(str(comp))}(?![\w\-])")
        for i in range(start, len(lines)):
            if pat.search(lines[i]):
                found, start = i + 1, i
                break
    return found


class _Validator:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source

    def fail(self, path: tuple[str, ...], message: str, anchor: tuple[str, ...] | None = None) -> None:
        line = line_of(self.text, anchor or path)
        raise RulesError(message, key=".".join(path), line=line, path=self.source)

    def table(self, v: Any, path: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(v, dict):
            self.fail(path, f"must be a table, got {type(v).__name__}")
        return v

    def keys(self, d: dict[str, Any], allowed: set[str], path: tuple[str, ...],
             required: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        for k in d:
            if k not in allowed:
                self.fail(path + (k,), f"unknown key; allowed here: {', '.join(sorted(allowed))}")
        for k in required:
            if k not in d:
                self.fail(path + (k,), "required key is missing", anchor=path)

    def number(self, v: Any, path: tuple[str, ...]) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(path, f"must be a number, got {v!r}", anchor=path + (str(v),))
        if v < 0:
            self.fail(path, f"must be ≥ 0, got {v}", anchor=path + (str(v),))
        return float(v)

    def integer(self, v: Any, path: tuple[str, ...], minimum: int = 0) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(path, f"must be an integer, got {v!r}", anchor=path + (str(v),))
        if v < minimum:
            self.fail(path, f"must be ≥ {minimum}, got {v}", anchor=path + (str(v),))
        return v

    def string(self, v: Any, path: tuple[str, ...], choices: tuple[str, ...] | None = None) -> str:
        if not isinstance(v, str):
            self.fail(path, f"must be a string, got {v!r}", anchor=path + (str(v),))
        if choices is not None and v not in choices:
            self.fail(path + (v,), f"unknown value {v!r}; one of {', '.join(choices)}", anchor=path + (v,))
        return v

    def strings(self, v: Any, path: tuple[str, ...], choices: tuple[str, ...] | None = None) -> tuple[str, ...]:
        if not isinstance(v, list):
            self.fail(path, f"must be a list of strings, got {v!r}")
        return tuple(self.string(x, path, choices) for x in v)

    def kind(self, v: Any, path: tuple[str, ...]) -> str:
        if not isinstance(v, str):
            self.fail(path, f"must be a document kind string, got {v!r}")
        if v not in _DOC_KINDS:
            self.fail(path + (v,), f"unknown document kind {v!r}; one of {', '.join(_DOC_KINDS)}")
        return v

    def doc_field(self, kind: str, name: Any, path: tuple[str, ...]) -> str:
        if not isinstance(name, str) or name not in FIELDS.get(kind, ()):
            self.fail(path + (str(name),),
                      f"unknown field {name!r} of {kind}; fields: {', '.join(FIELDS.get(kind, ())) or 'none'}")
        return name


def parse_rules(text: str, path: str = "rules.toml") -> Rules:
    """Validate TOML ``text`` into ``Rules``; ``RulesError`` names the bad key and its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise RulesError(f"not valid TOML: {e}", line=int(m.group(1)) if m else None, path=path) from None
    v = _Validator(text, path)
    v.keys(data, {"version", "thresholds", "kinds", "seal", "types", "risk"}, (),
           required={"version", "thresholds", "kinds", "types"})
    version = v.string(data["version"], ("version",))

    th = v.table(data["thresholds"], ("thresholds",))
    v.keys(th, {"income_proof_max_age_months", "name_match", "uncertain_severity",
                "unexpected_document_severity", "income_multiple"}, ("thresholds",),
           required={"income_proof_max_age_months", "income_multiple"})
    max_age = v.integer(th["income_proof_max_age_months"], ("thresholds", "income_proof_max_age_months"), 1)
    name_match = v.string(th.get("name_match", "variants"), ("thresholds", "name_match"), NAME_MATCH)
    unc = v.string(th.get("uncertain_severity", "warning"), ("thresholds", "uncertain_severity"), SEVERITIES)
    unexp = v.string(th.get("unexpected_document_severity", "warning"),
                     ("thresholds", "unexpected_document_severity"), SEVERITIES)
    bands_raw = th["income_multiple"]
    if not isinstance(bands_raw, list) or not bands_raw:
        v.fail(("thresholds", "income_multiple"), "must be a non-empty array of tables [[thresholds.income_multiple]]")
    bands = []
    prev = -1
    for b in bands_raw:
        bp = ("thresholds", "income_multiple")
        v.table(b, bp)
        v.keys(b, {"max_age", "multiple"}, bp, required={"max_age", "multiple"})
        band = IncomeBand(v.integer(b["max_age"], bp + ("max_age",)), v.integer(b["multiple"], bp + ("multiple",), 1))
        if band.max_age <= prev:
            v.fail(bp + ("max_age",), f"bands must have increasing max_age ({band.max_age} after {prev})")
        prev = band.max_age
        bands.append(band)

    kinds_t = v.table(data["kinds"], ("kinds",))
    required_fields: dict[str, tuple[str, ...]] = {}
    for kind, fields in kinds_t.items():
        v.kind(kind, ("kinds",))
        names = v.strings(fields, ("kinds", kind))
        required_fields[kind] = tuple(v.doc_field(kind, f, ("kinds", kind)) for f in names)

    seal_t = v.table(data.get("seal", {"kinds": []}), ("seal",))
    v.keys(seal_t, {"kinds"}, ("seal",))
    seal_kinds = tuple(v.kind(k, ("seal", "kinds")) for k in v.strings(seal_t.get("kinds", []), ("seal", "kinds")))
    for k in seal_kinds:
        if "has_seal" not in FIELDS[k] and k not in ("court_judgment", "divorce_certificate", "marriage_certificate"):
            v.fail(("seal", "kinds", k), f"{k} documents carry no seal")

    types_t = v.table(data["types"], ("types",))
    types: dict[str, TypeRules] = {}
    for name, body in types_t.items():
        tp = ("types", name)
        if name not in ENDORSEMENT_TYPES:
            v.fail(tp, f"unknown endorsement type {name!r}; one of {', '.join(ENDORSEMENT_TYPES)}")
        types[name] = _parse_type(v, name, v.table(body, tp))
    for name in ENDORSEMENT_TYPES:
        if name not in types:
            v.fail(("types", name), f"endorsement type {name!r} has no rules", anchor=("types",))
    risk = _parse_risk(v, data["risk"]) if "risk" in data else RiskRules()
    return Rules(version=version, income_proof_max_age_months=max_age, name_match=name_match,
                 uncertain_severity=unc, unexpected_document_severity=unexp, income_multiple=tuple(bands),
                 required_fields=required_fields, seal_kinds=seal_kinds, types=types, source=path, risk=risk)


_RISK_INTS = ("shared_window_days", "agent_window_days", "stale_capture_days", "capture_after_upload_hours",
              "image_max_distance", "image_max_distance_same_number")


def _parse_risk(v: _Validator, body: Any) -> RiskRules:
    from verify.codes import RISK_WARNINGS

    rp = ("risk",)
    t = v.table(body, rp)
    v.keys(t, set(_RISK_INTS) | {"editors", "points", "warnings", "money", "agent"}, rp)
    ints = {k: v.integer(t[k], rp + (k,)) for k in _RISK_INTS if k in t}
    if ints.get("image_max_distance", 0) > 64 or ints.get("image_max_distance_same_number", 0) > 64:
        v.fail(rp + ("image_max_distance",), "a 64-bit hash differs in at most 64 bits")
    editors = tuple(e.lower() for e in v.strings(t.get("editors", []), rp + ("editors",)))

    def numbers(name: str, allowed: dict[str, Any]) -> dict[str, float]:
        sub = v.table(t.get(name, {}), rp + (name,))
        v.keys(sub, set(allowed), rp + (name,))
        return {k: v.number(sub[k], rp + (name, k)) for k in sub}

    points = {**RISK_POINTS, **numbers("points", RISK_POINTS)}
    agent = {**RISK_AGENT, **numbers("agent", RISK_AGENT)}
    warnings = numbers("warnings", {**dict.fromkeys(RISK_WARNINGS), "warnings_cap": None})
    cap = warnings.pop("warnings_cap", 60.0)
    money_t = v.table(t.get("money", {}), rp + ("money",))
    v.keys(money_t, {"points_per_10k", "cap", "sources"}, rp + ("money",))
    sources: dict[str, tuple[str, ...]] = {}
    for etype, paths in v.table(money_t.get("sources", {}), rp + ("money", "sources")).items():
        sp = rp + ("money", "sources", etype)
        if etype not in ENDORSEMENT_TYPES:
            v.fail(sp, f"unknown endorsement type {etype!r}")
        for p in v.strings(paths, sp):
            if not re.fullmatch(r"(requested|policy)\.\w+", p):
                v.fail(sp + (p,), f"a money source is \"requested.<key>\" or \"policy.<key>\", got {p!r}")
        sources[etype] = tuple(paths)
    return RiskRules(**ints, editors=editors, points=points, warnings=warnings, warnings_cap=cap,
                     money_per_10k=v.number(money_t.get("points_per_10k", 2), rp + ("money", "points_per_10k")),
                     money_cap=v.number(money_t.get("cap", 25), rp + ("money", "cap")),
                     money_sources=sources, agent=agent)


def _parse_type(v: _Validator, name: str, body: dict[str, Any]) -> TypeRules:
    tp = ("types", name)
    v.keys(body, {"title", "allowed_status", "payee", "requested_fields", "documents",
                  "optional_documents", "prefill", "checks", "income_party", "auto_approve"}, tp,
           required={"allowed_status", "documents"})
    title = v.string(body.get("title", name), tp + ("title",))
    allowed = v.strings(body["allowed_status"], tp + ("allowed_status",), POLICY_STATUSES)
    payee = v.string(body.get("payee", "policyholder"), tp + ("payee",), ("policyholder", "insured"))
    income_party = v.string(body.get("income_party", "insured"), tp + ("income_party",), ("policyholder", "insured"))
    requested = v.strings(body.get("requested_fields", []), tp + ("requested_fields",))
    checks = v.strings(body.get("checks", []), tp + ("checks",), CHECKS)
    auto_approve = body.get("auto_approve", False)
    if not isinstance(auto_approve, bool):
        v.fail(tp + ("auto_approve",), "must be true or false")
    docs_raw = body["documents"]
    if not isinstance(docs_raw, list):
        v.fail(tp + ("documents",), "must be an array of { party = …, kind = … } tables")
    reqs = []
    for item in docs_raw:
        dp = tp + ("documents",)
        v.table(item, dp)
        v.keys(item, {"party", "kind", "one_of", "when"}, dp, required={"party"})
        party = v.string(item["party"], dp + ("party",), PARTIES)
        if ("kind" in item) == ("one_of" in item):
            v.fail(dp + ("party",), "each document needs exactly one of `kind` or `one_of`",
                   anchor=dp + (str(item.get("kind") or item["party"]),))
        if "kind" in item:
            kinds: tuple[str, ...] = (v.kind(item["kind"], dp + ("kind",)),)
        else:
            alts = v.strings(item["one_of"], dp + ("one_of",))
            if not alts:
                v.fail(dp + ("one_of",), "one_of must list at least one kind")
            kinds = tuple(v.kind(k, dp + ("one_of",)) for k in alts)
        when = v.string(item["when"], dp + ("when",), CONDITIONS) if "when" in item else None
        reqs.append(DocRequirement(party, kinds, when))
    optional = tuple(v.kind(k, tp + ("optional_documents",))
                     for k in v.strings(body.get("optional_documents", []), tp + ("optional_documents",)))
    prefill: dict[str, PrefillSource] = {}
    pf = v.table(body.get("prefill", {}), tp + ("prefill",))
    for target, src in pf.items():
        pp = tp + ("prefill", target)
        base = target.split("[]", 1)[0]
        if base not in requested:
            v.fail(pp, f"prefill target {target!r} is not in requested_fields ({', '.join(requested)})")
        if "[]" in target and not re.fullmatch(r"beneficiaries\[\]\.\w+", target):
            v.fail(pp, "list targets must look like beneficiaries[].field")
        src_s = v.string(src, pp)
        m = re.fullmatch(r"(?:(\w+):)?(\w+)\.(\w+)", src_s)
        if not m:
            v.fail(pp, f"source must be \"[party:]kind.field\", got {src_s!r}")
        party = m.group(1) or "policyholder"
        if party not in PARTIES:
            v.fail(pp + (party,), f"unknown party {party!r}; one of {', '.join(PARTIES)}", anchor=pp)
        kind = v.kind(m.group(2), pp)
        fname = v.doc_field(kind, m.group(3), pp)
        prefill[target] = PrefillSource(party, kind, fname)
    return TypeRules(name=name, title=title, allowed_status=allowed, payee=payee,
                     requested_fields=requested, documents=tuple(reqs), optional_documents=optional,
                     prefill=prefill, checks=checks, income_party=income_party, auto_approve=auto_approve)


def load_rules(path: str | Path | None = None) -> Rules:
    """Rules from ``path`` (default: the packaged ``verify/rules.toml``)."""
    p = Path(path) if path is not None else DEFAULT_RULES_PATH
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise RulesError(f"cannot read rules file: {e.strerror}", path=str(p)) from None
    except UnicodeDecodeError:
        raise RulesError("rules file is not UTF-8", path=str(p)) from None
    return parse_rules(text, path=str(p) if path is not None else "verify/rules.toml")


_default: Rules | None = None


def default_rules() -> Rules:
    """The packaged rules, loaded once per process."""
    global _default
    if _default is None:
        _default = load_rules()
    return _default
