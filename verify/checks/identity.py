"""Identity: does each person's ID card match the record, is it valid, has it expired?"""

from __future__ import annotations

from datetime import date


from extractors.normalize import id_number
from extractors.normalize.errors import NormalizeError
from extractors.normalize.id_number import decode_birth_date, decode_sex
from verify.checks._base import VALIDATION_REASONS, make
from verify.context import Context, Doc, PartyRef, norm_sex
from verify.masking import compact_number
from verify.types import Discrepancy

__all__ = ["check_identity", "check_id_expiry", "id_number_problem", "check_party_name",
           "check_party_id_number", "LONG_TERM"]

LONG_TERM = "长期"


def id_number_problem(value: str) -> str | None:
    """Why an ID number is invalid (Chinese, for the clerk); None when valid.

    >>> id_number_problem("11010519491231002X") is None
    True
    >>> id_number_problem("110105194912310021")
    '校验码错误'
    >>> id_number_problem("1101051949123100")
    '位数不对'
    """
    try:
        # the extractor's own check: stdnum's, less its demand that the region code existed
        # in the birth year (see extractors.normalize.id_number.region_known)
        id_number.validate(compact_number(value))
    except NormalizeError as e:
        name = type(e).__name__
        return {
            "InvalidLength": "位数不对",
            "InvalidFormat": "含非法字符",
            "InvalidChecksum": "校验码错误",
            "InvalidComponent": "出生日期或地区码无效",
        }.get(name, "格式无效")
    return None


def check_party_name(ctx: Context, party: PartyRef, doc: Doc, field: str) -> list[Discrepancy]:
    f = doc.field(field)
    if f is None or not party.name or ctx.same(str(f.value), party.name):
        return []
    where = "保单记录" if not party.path.startswith("requested") else "申请书"
    from extractors.kinds import NAMES_ZH
    return [make(ctx, "name_mismatch", f"{party.path}.name",
                 f"{NAMES_ZH.get(doc.kind, doc.kind)}姓名与{party.label}不一致：{where} {party.name}，证件 {f.value}",
                 expected=party.name, found=f.value, doc=doc, source=f)]


#: Extractor reasons that mean "the value is a one-character correction of what was read".
CORRECTED = frozenset({"digit_corrected", "ocr_corrected"})


def check_party_id_number(ctx: Context, party: PartyRef, doc: Doc, field: str,
                          validate: bool = True) -> list[Discrepancy]:
    f = doc.field(field)
    if f is None:
        return []
    found = compact_number(str(f.value))
    out = []
    from extractors.kinds import NAMES_ZH
    label = NAMES_ZH.get(doc.kind, doc.kind)
    if validate:
        problem = id_number_problem(found)
        if problem:
            out.append(make(ctx, "id_number_invalid", f"{party.path}.id_number",
                            f"{label}上的身份证号码无效（{problem}）", found=found, doc=doc, source=f,
                            mask_as="id_number", explained_by=VALIDATION_REASONS))
        elif CORRECTED & set(f.reasons) and f.raw and found != party.id_number:
            # The number as printed failed its check digit and the extractor's one-character
            # correction is a guess. A guess that lands on the record confirms a misread; one
            # that does not may have "corrected away" a number that really is invalid.
            raw = compact_number(str(f.raw))
            raw_problem = id_number_problem(raw)
            if raw_problem:
                out.append(make(ctx, "id_number_invalid", f"{party.path}.id_number",
                                f"{label}上的身份证号码按原样识别无效（{raw_problem}），纠错后也与记录不一致",
                                found=raw, doc=doc, source=f, mask_as="id_number"))
    if party.id_number and found != party.id_number:
        out.append(make(ctx, "id_number_mismatch", f"{party.path}.id_number",
                        f"{label}上的身份证号码与{party.label}记录不一致",
                        expected=party.id_number, found=found, doc=doc, source=f, mask_as="id_number"))
    return out


def _check_front(ctx: Context, party: PartyRef, doc: Doc) -> list[Discrepancy]:
    out = check_party_name(ctx, party, doc, "name")
    out += check_party_id_number(ctx, party, doc, "id_number")
    # Birth date: the printed field, or (when not read) the one encoded in the ID number.
    rec_bd = party.record_birth_date
    if rec_bd is not None:
        f = doc.field("birth_date")
        if f is not None:
            found = str(f.value)
            if found != rec_bd.isoformat():
                out.append(make(ctx, "birth_date_mismatch", f"{party.path}.birth_date",
                                f"身份证出生日期与{party.label}记录不一致：记录 {rec_bd.isoformat()}，证件 {found}",
                                expected=rec_bd.isoformat(), found=found, doc=doc, source=f))
        else:
            idf = doc.field("id_number")
            enc = decode_birth_date(compact_number(str(idf.value))) if idf else None
            if enc is not None and enc != rec_bd and not any(d.code == "id_number_mismatch" for d in out):
                out.append(make(ctx, "birth_date_mismatch", f"{party.path}.birth_date",
                                f"身份证号码中的出生日期与{party.label}记录不一致",
                                expected=rec_bd.isoformat(), found=enc.isoformat(), doc=doc, source=idf))
    rec_sex = party.record_sex
    if rec_sex is not None:
        f = doc.field("sex")
        if f is not None and norm_sex(f.value) is not None:
            if norm_sex(f.value) != rec_sex:
                out.append(make(ctx, "sex_mismatch", f"{party.path}.sex",
                                f"身份证性别与{party.label}记录不一致：记录 {rec_sex}，证件 {f.value}",
                                expected=rec_sex, found=f.value, doc=doc, source=f))
        else:
            idf = doc.field("id_number")
            enc_sex = decode_sex(compact_number(str(idf.value))) if idf else None
            if enc_sex is not None and enc_sex != rec_sex and not any(d.code == "id_number_mismatch" for d in out):
                out.append(make(ctx, "sex_mismatch", f"{party.path}.sex",
                                f"身份证号码中的性别与{party.label}记录不一致",
                                expected=rec_sex, found=enc_sex, doc=doc, source=idf))
    return out


def check_identity(ctx: Context) -> list[Discrepancy]:
    """name/id_number/birth_date/sex of every assigned ID front against its party."""
    out: list[Discrepancy] = []
    for req in ctx.requirements:
        doc = req.doc
        if doc is None or doc.kind != "id_card_front" or not doc.usable:
            continue
        out += _check_front(ctx, req.party, doc)
    return out


def check_id_expiry(ctx: Context) -> list[Discrepancy]:
    """``id_expired`` when an assigned ID back's valid_until is before the application date."""
    out: list[Discrepancy] = []
    for req in ctx.requirements:
        doc = req.doc
        if doc is None or doc.kind != "id_card_back" or not doc.usable:
            continue
        f = doc.field("valid_until")
        if f is None:
            continue
        raw = str(f.value).strip()
        if LONG_TERM in raw:
            continue
        try:
            until = date.fromisoformat(raw)
        except ValueError:
            out.append(make(ctx, "document_unreadable", f"{req.party.path}.id_valid_until",
                            f"身份证有效期无法识别：{raw}", found=raw, doc=doc, source=f))
            continue
        if until < ctx.application_date:
            out.append(make(ctx, "id_expired", f"{req.party.path}.id_valid_until",
                            f"{req.party.label}身份证已过期：有效期至 {until.isoformat()}，申请日 {ctx.application_date.isoformat()}",
                            expected=f">= {ctx.application_date.isoformat()}", found=until.isoformat(),
                            doc=doc, source=f))
    return out
