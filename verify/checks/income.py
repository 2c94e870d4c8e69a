"""Income proof for financial underwriting: whose, how recent, how much, sealed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from verify.checks._base import make
from verify.checks.identity import check_party_id_number, check_party_name
from verify.context import Context, is_empty
from verify.types import Discrepancy

__all__ = ["check_income", "add_months", "age_on", "to_decimal"]


def add_months(d: date, months: int) -> date:
    """``d`` plus whole months, clamped to the month's last day.

    >>> add_months(date(2026, 8, 31), 6)
    datetime.date(2027, 2, 28)
    """
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_on(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def to_decimal(v) -> Decimal | None:
    if is_empty(v):
        return None
    try:
        return Decimal(str(v).replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


def check_income(ctx: Context) -> list[Discrepancy]:
    """name/id of the proof, income_proof_stale, income_insufficient (types with checks=income)."""
    tr = ctx.type_rules
    if "income" not in tr.checks:
        return []
    doc = ctx.assigned(tr.income_party, "income_proof")
    if doc is None or not doc.usable:
        return []
    party = ctx.party(tr.income_party)
    out = check_party_name(ctx, party, doc, "name")
    out += check_party_id_number(ctx, party, doc, "id_number", validate=False)

    f = doc.field("issue_date")
    if f is not None:
        try:
            issued = date.fromisoformat(str(f.value))
        except ValueError:
            issued = None
        n = ctx.rules.income_proof_max_age_months
        if issued is not None and add_months(issued, n) < ctx.application_date:
            out.append(make(ctx, "income_proof_stale", "documents.income_proof.issue_date",
                            f"收入证明开具于 {issued.isoformat()}，超过 {n} 个月（申请日 {ctx.application_date.isoformat()}）",
                            expected=f">= {add_months(ctx.application_date, -n).isoformat()}",
                            found=issued.isoformat(), doc=doc, source=f))

    target = to_decimal(ctx.requested.get("sum_insured"))
    af = doc.field("annual_income")
    mf = doc.field("monthly_income")
    annual, source = None, None
    if af is not None and to_decimal(af.value) is not None:
        annual, source = to_decimal(af.value), af
    elif mf is not None and to_decimal(mf.value) is not None:
        annual, source = to_decimal(mf.value) * 12, mf  # type: ignore[operator]
    if target is not None and annual is not None:
        age = age_on(party.record_birth_date, ctx.application_date)
        multiple = ctx.rules.multiple_for_age(age)
        if annual * multiple < target:
            need = (target / multiple).quantize(Decimal("0.01"))
            out.append(make(ctx, "income_insufficient", "requested.sum_insured",
                            f"年收入 {annual:.2f} 元 × {multiple} 倍 = {annual * multiple:.2f} 元，不足以支持申请保额 {target:.2f} 元"
                            f"（需年收入至少 {need} 元{f'，被保险人 {age} 岁' if age is not None else ''}）",
                            expected=f">= {need}", found=f"{annual:.2f}", doc=doc, source=source))
    return out
