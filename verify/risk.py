"""One risk score per case, from what verification found, what is at stake and who brought it.

``risk_score(discrepancies, documents, amount, agent, rules) -> RiskScore``: the sum of five
parts, each bounded by its own cap in ``[risk]`` of the rules file, the total at most 100:

=================  ==============================================================================
part               points
=================  ==============================================================================
``discrepancies``  ``error`` per open error-level discrepancy, ``warning`` per warning (risk
                   warnings excepted), at most ``discrepancies_cap``
``risk_warnings``  the code's points (``[risk.warnings]``) per risk warning, at most ``warnings_cap``
``quality``        ``quality_error`` / ``quality_warning`` per quality issue of each document (and
                   each part of a sheet), at most ``quality_cap``
``money``          ``points_per_10k`` per 10 000 yuan at stake (``money_at_stake``), at most ``cap``
``agent``          per case of the agent's within ``agent_window_days``: ``returned``, ``rejected``,
                   ``flagged`` (carrying a risk warning), at most ``cap``
=================  ==============================================================================

Pure: the service counts the agent's history (``AgentHistory``) and passes it in.

>>> from verify.requirements import default_rules
>>> r = default_rules().risk
>>> s = risk_score([{"code": "image_reused", "severity": "warning"}, {"code": "name_mismatch", "severity": "error"}],
...                [{"quality": {"issues": [{"code": "glare", "severity": "warning"}]}}], Decimal("50000"),
...                AgentHistory(cases=3, returned=1, rejected=0, flagged=1), r)
>>> s.total, [(p.name, p.points) for p in s.parts]
(60.0, [('discrepancies', 12.0), ('risk_warnings', 30.0), ('quality', 2.0), ('money', 10.0), ('agent', 6.0)])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from verify.checks.income import to_decimal
from verify.codes import RISK_WARNINGS
from verify.requirements import RiskRules
from verify.types import Case, Discrepancy

__all__ = ["AgentHistory", "RiskPart", "RiskScore", "risk_score", "money_at_stake", "MAX_SCORE"]

MAX_SCORE = 100.0


@dataclass(frozen=True)
class AgentHistory:
    """The agent's other cases created within the rules' window."""

    cases: int = 0
    returned: int = 0
    rejected: int = 0
    flagged: int = 0  # carrying a risk warning


@dataclass
class RiskPart:
    name: str
    points: float
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "points": self.points, "detail": self.detail}


@dataclass
class RiskScore:
    total: float
    parts: list[RiskPart]

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "parts": [p.to_dict() for p in self.parts]}


def _get(d: Any, key: str) -> Any:
    return d.get(key) if isinstance(d, dict) else getattr(d, key, None)


def _capped(points: float, cap: float) -> float:
    return round(min(points, cap), 1)


def money_at_stake(case: Case, rules: RiskRules) -> tuple[Decimal, str] | None:
    """The amount this case pays out or lends (yuan) and where it was read, per
    ``[risk.money.sources]``; None for a type without money or when nothing is given.

    >>> from verify.requirements import default_rules
    >>> c = Case.model_validate({"case_id": "C", "type": "surrender", "application_date": "2026-11-20",
    ...     "policy": {"policy_no": "P1", "status": "in_force", "policyholder": {"name": "王五"},
    ...                "cash_value": "86000.50"}})
    >>> money_at_stake(c, default_rules().risk)
    (Decimal('86000.50'), 'policy.cash_value')
    """
    for src in rules.money_sources.get(case.type, ()):
        where, key = src.split(".", 1)
        if where == "requested":
            raw = case.requested.get(key)
        else:
            raw = getattr(case.policy, key, None)
            if raw is None:
                raw = (case.policy.model_extra or {}).get(key)
        if raw in (None, ""):
            continue
        amount = to_decimal(raw)
        if amount is not None and amount.is_finite() and amount >= 0:
            return amount, src
    return None


def risk_score(discrepancies: Iterable[Discrepancy | dict[str, Any]], documents: Iterable[dict[str, Any]],
               amount: Decimal | None, agent: AgentHistory | None, rules: RiskRules) -> RiskScore:
    """The case's score and its parts (module doc)."""
    p = rules.points
    errors = warnings = 0
    codes: dict[str, int] = {}
    for d in discrepancies:
        code = _get(d, "code")
        if code in RISK_WARNINGS:
            codes[code] = codes.get(code, 0) + 1
        elif _get(d, "severity") == "error":
            errors += 1
        else:
            warnings += 1
    parts = [RiskPart("discrepancies", _capped(errors * p["error"] + warnings * p["warning"], p["discrepancies_cap"]),
                      {"errors": errors, "warnings": warnings})]
    parts.append(RiskPart("risk_warnings",
                          _capped(sum(rules.warnings.get(c, 0.0) * n for c, n in codes.items()), rules.warnings_cap),
                          dict(sorted(codes.items()))))
    q_err = q_warn = 0
    for doc in documents:
        for unit in [doc] + list(_get(doc, "parts") or []):
            for issue in (_get(unit, "quality") or {}).get("issues", []):
                if issue.get("severity") == "error":
                    q_err += 1
                else:
                    q_warn += 1
    parts.append(RiskPart("quality", _capped(q_err * p["quality_error"] + q_warn * p["quality_warning"],
                                             p["quality_cap"]), {"errors": q_err, "warnings": q_warn}))
    money = float(amount) / 10000 * rules.money_per_10k if amount is not None else 0.0
    parts.append(RiskPart("money", _capped(money, rules.money_cap),
                          {"amount": None if amount is None else str(amount)}))
    a = agent or AgentHistory()
    ag = rules.agent
    parts.append(RiskPart("agent", _capped(a.returned * ag["returned"] + a.rejected * ag["rejected"]
                                           + a.flagged * ag["flagged"], ag["cap"]),
                          {"cases": a.cases, "returned": a.returned, "rejected": a.rejected, "flagged": a.flagged}))
    return RiskScore(total=round(min(MAX_SCORE, sum(x.points for x in parts)), 1), parts=parts)
