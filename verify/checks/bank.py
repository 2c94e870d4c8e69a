"""Bank card: a possible number, the requested bank and account, in the payee's name."""

from __future__ import annotations

from verify.banks import bank_code, bin_bank, card_problem
from verify.checks._base import VALIDATION_REASONS, make
from verify.context import Context, is_empty
from verify.masking import compact_number
from verify.types import Discrepancy

__all__ = ["check_bank_card", "check_requested_holder"]

_PROBLEMS = {"format": "含非数字字符", "length": "位数不可能", "checksum": "校验位(Luhn)错误"}


def check_bank_card(ctx: Context) -> list[Discrepancy]:
    """bank_card_invalid, account_mismatch, bank_name_mismatch, account_holder_mismatch."""
    doc = ctx.assigned("payee", "bank_card")
    if doc is None or not doc.usable:
        return []
    payee = ctx.party("payee")
    req = ctx.requested
    out: list[Discrepancy] = []
    cf = doc.field("card_number")
    card = compact_number(str(cf.value)) if cf else None
    if cf is not None:
        problem = card_problem(card)
        if problem:
            out.append(make(ctx, "bank_card_invalid", "requested.account_number",
                            f"银行卡号无效（{_PROBLEMS[problem]}）", found=card, doc=doc, source=cf,
                            mask_as="account_number", explained_by=VALIDATION_REASONS))
        want = req.get("account_number")
        if not is_empty(want) and compact_number(str(want)) != card:
            out.append(make(ctx, "account_mismatch", "requested.account_number",
                            "银行卡号与申请书填写的账号不一致",
                            expected=compact_number(str(want)), found=card, doc=doc, source=cf))
    want_bank = req.get("bank_name")
    if not is_empty(want_bank):
        want_code = bank_code(str(want_bank))
        nf = doc.field("bank_name")
        read_code = bank_code(str(nf.value)) if nf else None
        source, found_code = (nf, read_code) if read_code else (cf, bin_bank(card))
        if want_code and found_code and want_code != found_code:
            how = "卡面" if source is nf else "卡号BIN"
            out.append(make(ctx, "bank_name_mismatch", "requested.bank_name",
                            f"银行卡所属银行与申请不一致：申请 {want_bank}，{how}显示 {found_code}",
                            expected=str(want_bank), found=found_code, doc=doc, source=source))
        # neither name a bank we know: no opinion, the clerk sees both values
    hf = doc.field("holder_name")
    if hf is not None and payee.name and _comparable(str(hf.value), payee.name) \
            and not ctx.same(str(hf.value), payee.name):
        out.append(make(ctx, "account_holder_mismatch", "requested.account_holder",
                        f"银行卡户名与{payee.label}不一致：{payee.label} {payee.name}，卡面 {hf.value}",
                        expected=payee.name, found=hf.value, doc=doc, source=hf))
    return out


def _is_latin(s: str) -> bool:
    return all(ch.isascii() for ch in s)


def _comparable(printed: str, record: str) -> bool:
    """A romanised holder name (``ZHANG WEI``) cannot be compared with a Chinese record name
    without a pinyin table: no opinion then (the clerk sees both values)."""
    return _is_latin(printed) == _is_latin(record)


def check_requested_holder(ctx: Context) -> list[Discrepancy]:
    """account_holder_mismatch when the request names an account holder other than the payee."""
    if "account_holder" not in ctx.type_rules.requested_fields:
        return []
    want = ctx.requested.get("account_holder")
    payee = ctx.party("payee")
    if is_empty(want) or not payee.name or ctx.same(str(want), payee.name):
        return []
    return [make(ctx, "account_holder_mismatch", "requested.account_holder",
                 f"申请的账户户名不是{payee.label}本人：{payee.label} {payee.name}，申请 {want}",
                 expected=payee.name, found=want)]
