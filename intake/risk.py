"""A case's risk score (``verify.risk``) with what only the store knows: the agent's recent
history. Stored on the case (``risk_score``, ``risk_parts``) at every verification; the
clerk's queue sorts and filters by it and audit samples always take the riskiest cases.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.db.models import Case, Discrepancy
from verify.codes import RISK_WARNING_CODES
from verify.requirements import RiskRules
from verify.risk import AgentHistory, RiskScore, money_at_stake, risk_score
from verify.types import Case as CaseFile
from verify.types import Verification

__all__ = ["agent_history", "score_case"]


def agent_history(session: Session, case: Case, rules: RiskRules) -> AgentHistory:
    """The agent's other cases created within ``agent_window_days`` before this one."""
    if case.created_by is None:
        return AgentHistory()
    since = case.created_at - timedelta(days=rules.agent_window_days)
    mine = (Case.created_by == case.created_by, Case.id != case.id, Case.created_at >= since)
    total = session.execute(select(func.count(Case.id)).where(*mine)).scalar_one()
    returned = session.execute(select(func.count(Case.id)).where(
        *mine, (Case.state == "returned") | (Case.decision == "return"))).scalar_one()
    rejected = session.execute(select(func.count(Case.id)).where(*mine, Case.decision == "reject")).scalar_one()
    flagged = session.execute(select(func.count(func.distinct(Discrepancy.case_id))).join(
        Case, Case.id == Discrepancy.case_id).where(*mine, Discrepancy.code.in_(RISK_WARNING_CODES))).scalar_one()
    return AgentHistory(cases=total, returned=returned, rejected=rejected, flagged=flagged)


def score_case(session: Session, case: Case, case_file: CaseFile, result: Verification,
               rules: RiskRules) -> RiskScore:
    """Score the verified case and store the score and its parts on it."""
    stake = money_at_stake(case_file, rules)
    score = risk_score(result.discrepancies, result.documents, stake[0] if stake else None,
                       agent_history(session, case, rules), rules)
    parts = score.to_dict()
    if stake:
        for p in parts["parts"]:
            if p["name"] == "money":
                p["detail"]["source"] = stake[1]
    case.risk_score = score.total
    case.risk_parts = parts
    return score
