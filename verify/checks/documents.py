"""Documents: missing, unreadable, or of a kind this endorsement does not use."""

from __future__ import annotations

from extractors.kinds import OTHER, UNREADABLE
from verify.checks._base import make
from extractors.kinds import NAMES_ZH
from verify.context import Context
from verify.types import Discrepancy

__all__ = ["check_documents_missing", "check_documents_unreadable", "check_documents_unexpected"]


def _kinds_label(kinds: tuple[str, ...]) -> str:
    return "或".join(NAMES_ZH.get(k, k) for k in kinds)


def check_documents_missing(ctx: Context) -> list[Discrepancy]:
    """``document_missing`` for every applicable requirement no supplied document satisfies."""
    out = []
    for req in ctx.requirements:
        if req.satisfied:
            continue
        kinds = req.kinds
        out.append(make(ctx, "document_missing", f"{req.party.path}.documents",
                        f"缺少{req.party.label}的{_kinds_label(kinds)}",
                        expected="|".join(kinds), found=None))
    return out


def check_documents_unreadable(ctx: Context) -> list[Discrepancy]:
    """``document_unreadable``: corrupt/unclassifiable files, quality errors, required fields absent."""
    out = []
    used = ctx.type_rules.used_kinds()
    for doc in ctx.docs:
        ex = doc.extraction
        if doc.kind == UNREADABLE:
            issues = "、".join(i.code for i in ex.quality.issues) or "无法识别"
            out.append(make(ctx, "document_unreadable", "documents", f"文件无法读取（{issues}），请重新上传",
                            found=issues, doc=doc))
            continue
        if doc.kind not in used:
            continue
        label = NAMES_ZH.get(doc.kind, doc.kind)
        if not ex.quality.ok:
            errs = [i for i in ex.quality.issues if i.severity == "error"]
            codes = "、".join(i.code for i in errs)
            out.append(make(ctx, "document_unreadable", f"documents.{doc.kind}",
                            f"{label}质量不合格（{codes}），无法可靠识别，请重新拍摄",
                            found=codes, doc=doc))
            continue
        missing = [f for f in ctx.rules.required_fields.get(doc.kind, ()) if doc.field(f) is None]
        if missing:
            out.append(make(ctx, "document_unreadable", f"documents.{doc.kind}",
                            f"{label}未能识别出必要信息：{'、'.join(missing)}，请重新拍摄",
                            expected=list(missing), found=None, doc=doc))
    return out


def check_documents_unexpected(ctx: Context) -> list[Discrepancy]:
    """``document_kind_unexpected`` for a readable document of a kind this type does not use."""
    out = []
    used = ctx.type_rules.used_kinds()
    for doc in ctx.docs:
        if doc.kind == UNREADABLE or doc.kind in used:
            continue
        label = NAMES_ZH.get(doc.kind, doc.kind)
        msg = (f"{ctx.type_rules.title}不需要{label}，请确认是否上传错误"
               if doc.kind != OTHER else f"无法确认此文件的类型，{ctx.type_rules.title}不使用此类文件")
        out.append(make(ctx, "document_kind_unexpected", "documents", msg,
                        expected=sorted(used), found=doc.kind, doc=doc,
                        severity=ctx.rules.unexpected_document_severity))
    return out
