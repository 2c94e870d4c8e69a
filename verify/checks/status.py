"""Policy status: is this endorsement allowed on a policy in this state?"""

from __future__ import annotations

from verify.checks._base import make
from verify.context import Context
from verify.types import Discrepancy

__all__ = ["check_policy_status", "STATUS_LABELS"]

STATUS_LABELS = {
    "in_force": "有效",
    "lapsed": "失效",
    "paid_up": "减额缴清",
    "suspended": "中止",
    "terminated": "终止",
}


def check_policy_status(ctx: Context) -> list[Discrepancy]:
    """``policy_status_invalid`` when the type's ``allowed_status`` excludes the policy's status."""
    tr = ctx.type_rules
    status = ctx.policy.status
    if status in tr.allowed_status:
        return []
    allowed = "、".join(STATUS_LABELS.get(s, s) for s in tr.allowed_status)
    return [make(ctx, "policy_status_invalid", "policy.status",
                 f"保单状态为「{STATUS_LABELS.get(status, status)}」，不能办理{tr.title}（允许：{allowed}）",
                 expected=list(tr.allowed_status), found=status)]
