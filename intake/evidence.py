"""A case's evidence pack: one PDF an auditor can file or hand on, that proves what was read,
what was changed, who decided, and that the record was not altered since.

Pages, drawn with Pillow in a CJK font and saved as one PDF: a summary (case, policy,
state, decision with its reason and override, who and when); one page per image document
with the field boxes drawn over it, then its fields as read and as corrected; the
discrepancies; every audit event of the case and its documents, with the chain hashes,
and whether the whole chain verifies. ID and card numbers are masked in the text (the
images show what was photographed). PDFs among the documents are listed, not rendered.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Iterable

from PIL import Image, ImageDraw, ImageFont, ImageOps
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from intake.audit import verify_chain
from intake.db.models import AuditEvent, Case, Document, FieldCorrection
from intake.errors import CaseNotFound
from extractors.errors import InputRejected
from intake.storage import FileMissing, FileStore
from intake.views import mask_tree
from verify.masking import mask_value

__all__ = ["evidence_pack", "FONT_PATHS"]

FONT_PATHS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PAGE = (1240, 1754)  # A4 at 150 dpi, pixels
MARGIN = 70  # pixels
LINE = 30  # pixels between text lines at the body size


def _font(size: int):
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


class _Pages:
    """Text flowing over A4 pages."""

    def __init__(self):
        self.pages: list[Image.Image] = []
        self.body, self.head = _font(22), _font(32)
        self._new()

    def _new(self):
        self.page = Image.new("RGB", PAGE, "white")
        self.draw = ImageDraw.Draw(self.page)
        self.y = MARGIN
        self.pages.append(self.page)

    def line(self, text: str, head: bool = False, indent: int = 0):
        font = self.head if head else self.body
        width = PAGE[0] - 2 * MARGIN - indent
        chunk = ""
        for ch in str(text):  # wrap by width, character by character (Chinese has no spaces)
            if self.draw.textlength(chunk + ch, font=font) > width:
                self._put(chunk, font, indent, head)
                chunk = ""
            chunk += ch
        self._put(chunk, font, indent, head)

    def _put(self, text: str, font, indent: int, head: bool):
        step = 48 if head else LINE
        if self.y + step > PAGE[1] - MARGIN:
            self._new()
        self.draw.text((MARGIN + indent, self.y), text, font=font, fill="black")
        self.y += step

    def gap(self, px: int = 16):
        self.y += px

    def image(self, im: Image.Image):
        """An image on a page of its own, scaled to fit."""
        self._new()
        im = ImageOps.contain(im, (PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - 200))
        self.page.paste(im, (MARGIN, self.y))
        self.y += im.height + 20


def _boxes(fields: dict[str, Any]) -> Iterable[tuple[str, list[list[float]], bool]]:
    for name, f in fields.items():
        if isinstance(f, dict) and f.get("box"):
            yield name, f["box"], bool(f.get("needs_review"))


def _document_image(store: FileStore, doc: Document) -> Image.Image | None:
    """The stored file as the pipeline saw it (``extractors.pages.decode_image``: the same
    EXIF turn, HEIC opener and pixel limit), with its fields' boxes drawn. Raises
    ``FileMissing`` when the store no longer holds it, ``InputRejected`` when it does not
    decode: the caller says so on the page, for that document only."""
    if doc.content_type == "application/pdf" or doc.extraction is None:
        return None
    from extractors.pages import decode_image

    im = Image.fromarray(decode_image(store.get(doc.sha256))[:, :, ::-1].copy())
    draw = ImageDraw.Draw(im)
    stroke = max(2, im.width // 400)
    units = [(doc.extraction.fields or {})] + [p.get("fields") or {} for p in (doc.extraction.parts or [])]
    for fields in units:
        for name, box, review in _boxes(fields):
            pts = [tuple(map(float, p)) for p in box]
            draw.polygon(pts, outline=(220, 120, 0) if review else (20, 150, 60), width=stroke)
    for part in doc.extraction.parts or []:
        if part.get("region"):
            draw.polygon([tuple(map(float, p)) for p in part["region"]], outline=(30, 90, 200), width=stroke)
    return im


def _value(field: str, value: Any) -> str:
    return "—" if value in (None, "") else str(mask_value(field, value))


def evidence_pack(session: Session, store: FileStore, case_id: int) -> bytes:
    """The PDF bytes of the case's evidence pack (see the module docstring)."""
    case = session.execute(select(Case).where(Case.id == case_id).options(
        selectinload(Case.documents).selectinload(Document.extraction),
        selectinload(Case.discrepancies))).scalar_one_or_none()
    if case is None:
        raise CaseNotFound(f"case {case_id} not found")
    corrections = {(c.document_id, c.part, c.field): c for c in session.execute(
        select(FieldCorrection).where(FieldCorrection.case_id == case.id)).scalars()}
    p = _Pages()
    p.line(f"保全案件证据包 · 案件 {case.id}", head=True)
    holder = (case.policy.policyholder or {}) if case.policy else {}
    p.line(f"保单 {case.policy_no} · 投保人 {holder.get('name') or '—'} · 类型 {case.type} · 申请日期 {case.application_date}")
    p.line(f"状态 {case.state} · 提交 {case.submitted_at or '—'}")
    if case.decision:
        p.line(f"决定 {case.decision}（{case.decided_by}，{case.decided_at}）" + (f"：{case.decision_reason}" if case.decision_reason else ""))
    if case.override_reason:
        p.line(f"越过错误级差异通过，理由：{case.override_reason}")
    p.line(f"申请内容：{mask_tree(case.requested or {})}")
    if case.risk_score is not None:
        parts = "，".join(f"{x['name']} {x['points']:g}" for x in (case.risk_parts or {}).get("parts", []))
        p.line(f"风险分 {case.risk_score:g} / 100（{parts}）")
    p.gap()
    p.line("差异与风险提示", head=True)
    for d in case.discrepancies or []:
        other = f" · 另一案件 {d.other_case_id}" if d.other_case_id else ""
        p.line(f"[{d.severity}] {d.code} · {d.field or ''} · 文件 {d.document_id or '—'}{other}", indent=0)
        p.line(f"{d.message or ''}（应为 {d.expected or '—'}，读到 {d.found or '—'}）", indent=30)
    if not case.discrepancies:
        p.line("无")
    for doc in case.documents:
        p.gap()
        p.line(f"文件 {doc.id} · {doc.filename} · {doc.state} · sha256 {doc.sha256[:16]}…", head=True)
        try:
            im = _document_image(store, doc)
        except (FileMissing, InputRejected) as exc:
            im = None
            p.line(f"文件 {doc.id} 的图像无法附上：{'存储中已没有该文件' if isinstance(exc, FileMissing) else '无法解码'}")
        if im is not None:
            p.image(im)
            p.line(f"文件 {doc.id} · 框线：绿色为可信字段，橙色为待复核，蓝色为同页中的各个证件")
        ex = doc.extraction
        if ex is None:
            p.line(f"未读出：{doc.failure_reason or doc.state}")
            continue
        units = [(0, ex.kind, ex.fields or {})] + [(i, q.get("kind"), q.get("fields") or {})
                                                  for i, q in enumerate(ex.parts or [], 1)]
        for part, kind, fields in units:
            if part:
                p.line(f"第 {part} 部分 · {kind}", indent=0)
            else:
                p.line(f"类型 {kind} · 质量 {'可用' if (ex.quality or {}).get('ok') else '不可用'}")
            for name, f in fields.items():
                f = f if isinstance(f, dict) else {"value": f}
                c = corrections.get((doc.id, part, name))
                mark = "（待复核）" if f.get("needs_review") else ""
                fixed = f" → 更正为 {_value(name, c.value)}（{c.corrected_by}，{c.updated_at}）" if c else ""
                p.line(f"{name}：{_value(name, f.get('value'))}{mark}{fixed}", indent=30)
    p.gap()
    p.line("审计记录（哈希链）", head=True)
    report = verify_chain(session)
    p.line(f"整条审计链校验：{'完整' if report.ok else '不完整：' + str(report)}")
    ids = [str(d.id) for d in case.documents]
    events = session.execute(select(AuditEvent).where(or_(
        (AuditEvent.object_type == "case") & (AuditEvent.object_id == str(case.id)),
        (AuditEvent.object_type == "document") & AuditEvent.object_id.in_(ids))).order_by(AuditEvent.seq)).scalars()
    for e in events:
        p.line(f"#{e.seq} {e.ts} {e.actor} {e.action}", indent=0)
        p.line(f"hash {e.hash} · prev {e.prev_hash[:16]}…", indent=30)
    buf = io.BytesIO()
    first, *rest = p.pages
    first.save(buf, "PDF", save_all=True, append_images=rest, resolution=150.0)
    return buf.getvalue()
