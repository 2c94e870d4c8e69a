"""verify/codes.py is the one list of discrepancy codes: the checks, the planted suite,
README.md, samples/ and CONTRACT.md all agree with it."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from samples.plant.build import CODES as PLANTED_CODES
from tests.conftest import require_or_skip
from verify.codes import DISCREPANCIES, DISCREPANCY_CODES, RISK_WARNINGS, RISK_WARNING_CODES

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / ".." / "shared" / "CONTRACT.md"
# the last word of every code (mismatch, invalid, missing, …): a backticked word ending so in
# the docs names a code
SUFFIXES = {c.rsplit("_", 1)[1] for c in DISCREPANCY_CODES + RISK_WARNING_CODES if "_" in c}
CODE_LIKE = re.compile(r"`([a-z]+(?:_[a-z]+)+)`")


def _table(text: str, heading: str) -> dict[str, str]:
    """The ``| `code` | meaning |`` rows of the first table after ``heading``."""
    assert heading in text, heading
    rows: dict[str, str] = {}
    for line in text[text.index(heading):].splitlines()[1:]:
        m = re.match(r"^\|\s*`([a-z_]+)`\s*\|\s*(.*?)\s*\|\s*$", line)
        if m:
            rows[m.group(1)] = m.group(2)
        elif rows and not line.startswith("|"):
            break
    assert rows, f"no table under {heading!r}"
    return rows


def test_codes_are_unique_and_distinct_from_risk_warnings():
    assert len(set(DISCREPANCY_CODES)) == len(DISCREPANCY_CODES) == 18
    assert not set(DISCREPANCY_CODES) & set(RISK_WARNING_CODES)
    assert all(DISCREPANCIES[c].strip() for c in DISCREPANCY_CODES)
    assert all(RISK_WARNINGS[c].strip() for c in RISK_WARNING_CODES)


def test_contract_tables_agree():
    if not CONTRACT.is_file():
        require_or_skip(f"{CONTRACT} is not present")
    text = CONTRACT.read_text(encoding="utf-8")
    contract = _table(text, "### Discrepancy codes")
    # CONTRACT lists "at least these": every one is a code here, with the same meaning
    assert {c: DISCREPANCIES.get(c) for c in contract} == contract
    # the risk warnings too: CONTRACT's are all here with the same meaning; issue 19 adds
    # three relationship warnings "the contract allows extension" of, which README lists
    risks = _table(text, "### Risk warnings")
    assert {c: RISK_WARNINGS.get(c) for c in risks} == risks
    extra = {c: m for c, m in RISK_WARNINGS.items() if c not in risks}
    readme = _table((REPO / "README.md").read_text(encoding="utf-8"), "## Risk across cases")
    assert {c: readme.get(c, "").split(" | ")[0] for c in extra} == extra


def _make_codes() -> dict[str, list[str]]:
    """code → the check modules that report it (``make(ctx, "code", …)``)."""
    out: dict[str, list[str]] = {}
    for path in sorted((REPO / "verify" / "checks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "make":
                code = node.args[1] if len(node.args) > 1 else None
                assert isinstance(code, ast.Constant) and isinstance(code.value, str), \
                    f"{path.name}:{node.lineno}: make() without a literal code"
                out.setdefault(code.value, []).append(path.name)
    return out


def test_checks_report_exactly_the_listed_codes():
    assert set(_make_codes()) == set(DISCREPANCY_CODES)


def test_planted_suite_reads_the_list():
    assert tuple(PLANTED_CODES) == DISCREPANCY_CODES


def test_make_refuses_an_unlisted_code():
    from verify.checks._base import make

    with pytest.raises(ValueError, match="unknown discrepancy code"):
        make(None, "no_such_code", "x", "message")  # type: ignore[arg-type]


@pytest.mark.parametrize("doc", ["README.md", "samples/README.md"])
def test_docs_name_only_listed_codes(doc):
    text = (REPO / doc).read_text(encoding="utf-8")
    named = {w for w in CODE_LIKE.findall(text) if w.rsplit("_", 1)[1] in SUFFIXES}
    known = set(DISCREPANCY_CODES) | set(RISK_WARNING_CODES)
    assert named and named <= known, sorted(named - known)


def test_readme_code_table_and_count():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"covering all (\d+) discrepancy codes", text)
    assert m and int(m.group(1)) == len(DISCREPANCY_CODES)
    i = text.index("| code | planted |")
    rows = []
    for line in text[i:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1].strip())
    assert rows and set(rows) <= set(DISCREPANCY_CODES), sorted(set(rows) - set(DISCREPANCY_CODES))


def test_committed_cases_expect_listed_codes():
    cases = sorted((REPO / "samples" / "cases").glob("*.json"))
    assert cases
    for path in cases:
        d = json.loads(path.read_text(encoding="utf-8"))
        codes = {x["code"] for x in d.get("expected_discrepancies", [])}
        assert codes <= set(DISCREPANCY_CODES), (path.name, sorted(codes - set(DISCREPANCY_CODES)))
