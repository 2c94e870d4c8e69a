"""Pages for the four roles (zh-CN). The session cookie holds the same signed token as the API.

Without a valid session every page answers 303 → /login; a page of another role answers a
403 page in words. The cookie is HttpOnly and SameSite=Strict (no cross-site form can ride
on it). Pages call the same domain functions as the API (``intake.cases``,
``intake.lifecycle``, ``intake.audit_sampling``); ID and card numbers are masked in every
list. Stored files are served only to those who may see the case: agents their own cases,
clerks and admins every case, auditors only cases of a sample (through the sample's route).

    /agent                              find a policy, start a case, my cases
    /agent/cases/{id}                   needed documents (ticked as read), photos with quick
                                        check and upload progress, submit; a returned case
                                        shows the clerk's reason
    /clerk                              the queue: filters, counts per state, pages
    /clerk/cases/{id}                   images with field boxes, discrepancies, corrections,
                                        decision (keyboard: j/k, e/Enter, a, n)
    /audit                              draw a sample; samples; chain status
    /audit/samples/{sid}[/cases/{cid}]  the sample; the blind re-check
    /audit/stats[.csv]                  agreement, field accuracy, charts
    /audit/trail                        the audit trail and its hash chain

Texts a person reads are Chinese; logs and the API stay English.
"""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from intake import audit, audit_sampling, cases, defaults, errors, evidence, lifecycle
from intake.web.csrf import csrf_field, csrf_token, require_csrf
from intake.api.deps import MAX_ID, PathId, RuntimeDep, SessionDep
from intake.auth import Principal, TokenError, authenticate, issue_token, read_token
from intake.db.models import (CASE_STATES, AuditEvent, AuditReview, AuditSample, Case, Discrepancy, Document,
                              FieldCorrection, Policy, utcnow)
from intake.storage import FileMissing, StorageFull
from intake.uploads import UploadRejected
from intake.views import case_detail, case_summary, unmasked_roles
from extractors.kinds import NAMES_ZH
from verify.masking import scrub

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals["csrf_field"] = csrf_field
templates.env.globals["csrf_token"] = csrf_token

HOME = {"agent": "/agent", "clerk": "/clerk", "auditor": "/audit", "admin": "/clerk"}
PAGE_ROLES = {"agent": ("agent", "admin"), "clerk": ("clerk", "admin"), "audit": ("auditor", "admin")}

# --- pages' tuning ---------------------------------------------------------------------
QUEUE_PAGE_SIZE = 20  # cases per page of the clerk's queue
AGENT_LIST_SIZE = 50  # the agent's most recent cases on /agent
LOW_CONFIDENCE = 0.80  # a field read below this confidence is coloured as doubtful
PDF_VIEW_DPI = 110  # dots per inch of a PDF page rendered for the clerk's or auditor's eyes
PDF_RENDER_TIMEOUT = 30  # seconds for the child process rendering a PDF page
PDF_RENDER_MEMORY = 1024 * 1024 * 1024  # bytes (RLIMIT_AS) of that child process
MAX_CORRECTION_CHARS = 500  # characters of a corrected value taken from a form

# --- words ------------------------------------------------------------------------------
STATE_ZH = {"draft": "草稿", "processing": "处理中", "ready_for_review": "待审核", "approved": "已通过",
            "returned": "已退回", "rejected": "已拒绝"}
DOC_STATE_ZH = {"queued": "排队中", "processing": "识别中", "done": "已识别", "failed": "识别失败", "withdrawn": "已撤回"}
ROLE_ZH = {"agent": "代理人", "clerk": "保全审核员", "auditor": "稽核员", "admin": "管理员"}
ACTION_ZH = {"approve": "通过", "return": "退回", "reject": "拒绝"}
SEVERITY_ZH = {"error": "错误", "warning": "提示"}
POLICY_STATUS_ZH = {"in_force": "有效", "lapsed": "失效", "paid_up": "减额缴清", "suspended": "中止",
                    "terminated": "终止"}
PARTY_ZH = {"policyholder": "投保人", "insured": "被保险人", "payee": "收款人", "new_beneficiary": "新受益人"}
WHEN_ZH = {"insured_is_not_policyholder": "被保险人与投保人不同时", "reason_divorce": "因离婚变更时",
           "method_bank_transfer": "银行转账缴费时"}
STRATA_ZH = {"type": "保全项目", "clerk": "审核员"}
FIELD_ZH = {
    "name": "姓名", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期", "address": "住址",
    "id_number": "公民身份号码", "issuing_authority": "签发机关", "valid_from": "有效期起",
    "valid_until": "有效期至", "card_number": "卡号", "bank_name": "开户银行", "card_type": "卡类型",
    "holder_name": "持有人姓名", "employer": "工作单位", "position": "职务", "monthly_income": "月收入",
    "annual_income": "年收入", "issue_date": "开具日期", "has_seal": "有无公章",
    "holder_id_number": "持证人身份证号", "spouse_name": "配偶姓名", "spouse_id_number": "配偶身份证号",
    "registration_date": "登记日期", "certificate_number": "证书编号", "relationship_to_head": "与户主关系",
    "court": "法院", "case_number": "案号", "parties": "当事人", "judgment_date": "判决日期",
    "mentions_policy_numbers": "提及的保单号",
    # requested values
    "phone": "电话", "account_number": "账号", "account_holder": "户名", "method": "缴费方式",
    "frequency": "缴费频率", "beneficiaries": "受益人", "reason": "变更原因", "sum_insured": "保额",
    "rider": "附加险", "rider_sum_insured": "附加险保额", "amount": "金额", "new_product": "新产品",
    "id_valid_from": "证件有效期起", "id_valid_until": "证件有效期至",
}
DISCREPANCY_ZH = {
    "document_missing": "缺少文件", "document_unreadable": "文件无法识别", "document_kind_unexpected": "文件类型不符",
    "name_mismatch": "姓名不符", "id_number_mismatch": "身份证号不符", "id_number_invalid": "身份证号无效",
    "birth_date_mismatch": "出生日期不符", "sex_mismatch": "性别不符", "id_expired": "证件已过期",
    "bank_card_invalid": "银行卡号无效", "bank_name_mismatch": "银行不符", "account_mismatch": "账号不符",
    "account_holder_mismatch": "户名不符", "income_insufficient": "收入不足", "income_proof_stale": "收入证明过期",
    "seal_missing": "缺少公章", "relationship_unproven": "关系未证明", "policy_status_invalid": "保单状态不允许",
    # risk warnings
    "image_reused": "图片被重复使用", "account_shared": "账号与他人共用", "id_number_shared": "身份证号与他人共用",
    "edited_file": "图片经过编辑", "stale_capture": "拍摄时间异常", "screenshot": "屏幕截图",
    "cross_document_mismatch": "文件之间不一致", "relationship_mismatch": "户口本关系不符",
    "spouse_mismatch": "结婚证配偶不符", "spouse_divorced": "配偶已离婚",
}
RISK_PART_ZH = {"discrepancies": "差异", "risk_warnings": "风险提示", "quality": "图片质量", "money": "涉及金额",
                "agent": "代理人近期记录"}
RISK_HIGH = 50  # a risk score from which the pages colour it as high
QUALITY_ZH = {
    "blur": "模糊", "glare": "有反光", "document_cropped": "证件不完整", "too_dark": "太暗", "not_a_document": "不是证件",
    "photocopy": "复印件", "overexposed": "过曝", "low_resolution": "分辨率太低", "occluded": "有遮挡",
    "screen_recapture": "屏幕翻拍", "corrupt_file": "文件无法读取", "unsupported_type": "文件类型不支持",
    "too_large": "文件太大", "encrypted": "文件已加密",
}
KIND_ZH = dict(NAMES_ZH)
# a discrepancy's field path (its last part) → the document field it is read from
DISCREPANCY_FIELD = {"account_number": "card_number", "account_holder": "holder_name", "id_valid_until": "valid_until",
                     "id_valid_from": "valid_from"}


def _types_zh() -> dict[str, str]:
    from verify.requirements import default_rules

    return {name: t.title for name, t in default_rules().types.items()}


def mask_name(name: str | None) -> str:
    """A person's name for lists and the agent's search: 王建国 → 王*国, 李梅 → 李*, 欧阳琳琳 → 欧**琳."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _days(ts: datetime | None, now: datetime | None = None) -> int:
    if ts is None:
        return 0
    return max(0, ((now or utcnow()) - ts).days)


def _fmt_dt(ts: Any) -> str:
    if ts is None:
        return ""
    if isinstance(ts, str):
        return ts[:16].replace("T", " ")
    return ts.strftime("%Y-%m-%d %H:%M")


def _field_zh(name: str | None) -> str:
    if not name:
        return ""
    leaf = re.sub(r"\[\d*\]", "", str(name)).rsplit(".", 1)[-1]
    return FIELD_ZH.get(leaf, leaf)


templates.env.globals.update(STATE_ZH=STATE_ZH, DOC_STATE_ZH=DOC_STATE_ZH, ROLE_ZH=ROLE_ZH, ACTION_ZH=ACTION_ZH,
                             SEVERITY_ZH=SEVERITY_ZH, KIND_ZH=KIND_ZH, FIELD_ZH=FIELD_ZH, QUALITY_ZH=QUALITY_ZH,
                             DISCREPANCY_ZH=DISCREPANCY_ZH, POLICY_STATUS_ZH=POLICY_STATUS_ZH, STRATA_ZH=STRATA_ZH,
                             RISK_HIGH=RISK_HIGH)
templates.env.filters.update(field_zh=_field_zh, dt=_fmt_dt, mask_name=mask_name,
                             pct=lambda x: "—" if x is None else f"{100 * float(x):.1f}%")


# --------------------------------------------------------------------------- session


def session_user(request: Request) -> Principal | None:
    token = request.cookies.get(defaults.SESSION_COOKIE)
    if not token:
        return None
    settings = request.app.state.runtime.settings
    try:  # the current key and any previous one (key rotation), as the API accepts them
        return read_token(token, settings.token_keys)
    except TokenError:
        return None


def _error(request: Request, user: Principal | None, message: str, code: int) -> HTMLResponse:
    title = {403: "无权访问", 404: "未找到", 409: "无法执行", 422: "无法处理"}.get(code, "出错了")
    return templates.TemplateResponse(request, "error.html", {"user": user, "title": title, "message": message},
                                      status_code=code)


class PageRefused(Exception):
    """Raised by a page's role check, so the refusal comes before the form is even read
    (a refused role gets 403, never a 422 about the fields); ``intake.app`` answers it."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


def page_refused(request: Request, exc: PageRefused) -> Response:
    """The refusal as a page, or in words for a page's script (which asks for JSON)."""
    if request.url.path in SCRIPT_ROUTES or "application/json" in request.headers.get("accept", ""):
        return _json_refusal(exc.response)
    return exc.response


SCRIPT_ROUTES = frozenset({"/agent/quick-check"})  # called only by the page's script: JSON, never a page


def _page(page: str):
    def dep(request: Request) -> Principal:
        user = session_user(request)
        if user is None:
            raise PageRefused(RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER))
        if user.role not in PAGE_ROLES[page]:
            names = "、".join(ROLE_ZH[r] for r in PAGE_ROLES[page])
            raise PageRefused(_error(request, user, f"此页面仅供{names}使用，您的角色是{ROLE_ZH.get(user.role, user.role)}。",
                                     403))
        return user

    return Depends(dep)


def _json_refusal(resp: Response) -> JSONResponse:
    """For a page's script: the refusal in words instead of a redirect or an HTML page."""
    if resp.status_code == 403:
        return JSONResponse({"error": "您的角色不能使用此功能"}, status_code=403)
    return JSONResponse({"error": "登录已过期，请重新登录"}, status_code=401)


def _go(url: str, **params: Any) -> RedirectResponse:
    q = {k: str(v)[:300] for k, v in params.items() if v not in (None, "")}
    anchor = ""
    if "#" in url:
        url, anchor = url.split("#", 1)
        anchor = "#" + anchor
    sep = "&" if "?" in url else "?"
    return RedirectResponse(url + (sep + urlencode(q) if q else "") + anchor, status_code=status.HTTP_303_SEE_OTHER)


def _flash(request: Request) -> dict[str, str | None]:
    return {"error": request.query_params.get("err"), "message": request.query_params.get("msg")}


@router.get("/static/{name}")
def static_file(name: str):
    """The pages' own CSS and JS (no CDN: the office network may have no internet)."""
    path = STATIC_DIR / name
    if not re.fullmatch(r"[\w.-]+\.(css|js|svg)", name) or not path.is_file():
        return Response(status_code=404)
    media = {"css": "text/css", "js": "text/javascript", "svg": "image/svg+xml"}[name.rsplit(".", 1)[1]]
    return Response(path.read_bytes(), media_type=media + "; charset=utf-8",
                    headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    user = session_user(request)
    return RedirectResponse(HOME[user.role] if user else "/login", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request):
    return templates.TemplateResponse(request, "login.html", {"user": None, "error": None})


@router.post("/login")
def login(request: Request, session: SessionDep, rt: RuntimeDep,
          username: Annotated[str, Form()], password: Annotated[str, Form()]):
    user = authenticate(session, username, password)
    if user is None:
        audit.record(session, f"anonymous:{scrub(username[:64])}", "auth.login_failed", "user", None, via="web")
        session.commit()
        return templates.TemplateResponse(request, "login.html", {"user": None, "error": "用户名或密码错误"},
                                          status_code=401)
    audit.record(session, f"{user.role}:{user.name}", "auth.login", "user", user.id, via="web")
    session.commit()
    resp = RedirectResponse(HOME[user.role], status_code=status.HTTP_303_SEE_OTHER)
    resp.set_cookie(defaults.SESSION_COOKIE, issue_token(user, rt.settings.secret_key, rt.settings.token_ttl),
                    max_age=rt.settings.token_ttl, httponly=True, samesite="strict",
                    secure=rt.settings.env == "production")
    return resp


@router.post("/logout")
def logout():
    resp = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    resp.delete_cookie(defaults.SESSION_COOKIE)
    return resp


# --------------------------------------------------------------------------- documents shown


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height as the browser shows the image (EXIF orientation applied, as the
    extractor applies it, so the boxes fit); None when unreadable."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
            try:
                orientation = im.getexif().get(0x0112)
            except Exception:
                orientation = None
            return (h, w) if orientation in (5, 6, 7, 8) else (w, h)
    except Exception:
        log.warning("stored image unreadable for a page", exc_info=True)
        return None


_PDF_CHILD = r"""
import io, json, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import pypdfium2 as pdfium
doc = pdfium.PdfDocument(sys.stdin.buffer.read())
if sys.argv[2] == "sizes":
    print(json.dumps([list(doc[i].get_size()) for i in range(min(len(doc), int(sys.argv[3])))]))
else:
    page = doc[int(sys.argv[3]) - 1]
    w, h = page.get_size()
    scale = float(sys.argv[4]) / 72.0
    if w * scale * h * scale > 40_000_000:
        sys.exit(3)
    buf = io.BytesIO()
    page.render(scale=scale).to_pil().save(buf, "PNG")
    sys.stdout.buffer.write(buf.getvalue())
"""


def _pdf_child(data: bytes, *args: str) -> bytes | None:
    """Run pdfium in a child process (a hostile PDF cannot take the server down)."""
    try:
        proc = subprocess.run([sys.executable, "-c", _PDF_CHILD, str(PDF_RENDER_MEMORY), *args], input=data,
                              capture_output=True, timeout=PDF_RENDER_TIMEOUT)
    except subprocess.TimeoutExpired:
        log.warning("PDF rendering for a page timed out")
        return None
    if proc.returncode != 0:
        log.warning("PDF rendering for a page failed: %s", proc.stderr.decode("utf-8", "replace")[-300:])
        return None
    return proc.stdout


def _pdf_page_sizes(data: bytes) -> list[tuple[float, float]]:
    from extractors.defaults import MAX_PDF_PAGES

    out = _pdf_child(data, "sizes", str(MAX_PDF_PAGES))
    try:
        return [(float(w), float(h)) for w, h in json.loads(out or b"[]")]
    except (ValueError, TypeError):
        return []


def _units(result: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The readings of a document: itself (part 0), or each part of a sheet (1-based)."""
    if not result:
        return []
    parts = result.get("parts") or []
    if parts:
        return [{"part": i, "kind": p.get("kind"), "fields": p.get("fields") or {}, "region": p.get("region"),
                 "quality": p.get("quality") or {}} for i, p in enumerate(parts, 1)]
    return [{"part": 0, "kind": result.get("kind"), "fields": result.get("fields") or {}, "region": None,
             "quality": result.get("quality") or {}}]


def _points(box: Any) -> str:
    try:
        return " ".join(f"{_num(p[0])},{_num(p[1])}" for p in box) + " "
    except (TypeError, IndexError):
        return ""


def _num(x: Any) -> str:
    x = float(x)
    return str(int(x)) if x == int(x) else f"{x:.1f}"


def _doc_views(rt, docs: list[dict[str, Any]], rows_by_id: dict[int, Document],
               corrections: dict[tuple[int, int, str], Any], file_url: str) -> list[dict[str, Any]]:
    """Each document with what the page draws: its pictures (one per PDF page) with the field
    boxes in the picture's own pixel coordinates, and its field rows. ``docs`` are the
    documents as the user may see them (perhaps masked); the stored file is found from the
    row itself (``rows_by_id``), never from a value that went through masking."""
    from extractors.defaults import PDF_RASTER_DPI

    out = []
    for d in docs:
        url = file_url.format(doc=d["id"])
        units = _units(d.get("result"))
        rows, shapes = [], []
        for u in units:
            if u["region"]:
                shapes.append({"page": 1, "points": _points(u["region"]), "cls": "region", "key": None,
                               "title": KIND_ZH.get(u["kind"] or "", u["kind"] or "")})
            for name, f in u["fields"].items():
                key = f"{d['id']}-{u['part']}-{name}"
                corr = corrections.get((d["id"], u["part"], name))
                conf = float(f.get("confidence") or 0.0)
                cls = ("f-corrected" if corr is not None else "f-review" if f.get("needs_review")
                       else "f-low" if conf < LOW_CONFIDENCE else "f-ok")
                rows.append({"key": key, "doc": d["id"], "part": u["part"], "kind": u["kind"], "name": name,
                             "value": f.get("value"), "confidence": conf, "needs_review": bool(f.get("needs_review")),
                             "corrected": corr, "cls": cls, "has_box": bool(f.get("box"))})
                if f.get("box"):
                    shapes.append({"page": int(f.get("page") or 1), "points": _points(f["box"]), "cls": cls,
                                   "key": key, "title": f"{_field_zh(name)}：{f.get('value')}"})
        pictures: list[dict[str, Any]] = []
        row = rows_by_id.get(d["id"])
        if row is None:
            pass
        elif row.content_type.startswith("image/"):
            size = _image_size(rt.store.get(row.sha256))
            if size:
                pictures.append({"src": url, "width": size[0], "height": size[1], "vb": size,
                                 "shapes": [s for s in shapes if s["page"] == 1]})
        elif row.content_type == "application/pdf":
            for n, (w_pt, h_pt) in enumerate(_pdf_page_sizes(rt.store.get(row.sha256)), 1):
                vb = (round(w_pt * PDF_RASTER_DPI / 72), round(h_pt * PDF_RASTER_DPI / 72))
                pictures.append({"src": f"{url}?page={n}", "width": round(w_pt * PDF_VIEW_DPI / 72),
                                 "height": round(h_pt * PDF_VIEW_DPI / 72), "vb": vb,
                                 "shapes": [s for s in shapes if s["page"] == n]})
        out.append({**d, "url": url, "units": units, "rows": rows, "pictures": pictures})
    return out


def _serve_document(request: Request, session: Session, rt, user: Principal, case: Case, document_id: int,
                    **details: Any) -> Response:
    """The stored file (or, with ``?page=n``, that PDF page as PNG): audited, never cached."""
    doc = next((d for d in case.documents if d.id == document_id), None)
    if doc is None:
        return Response(status_code=404)
    page = request.query_params.get("page")
    try:
        data = rt.store.get(doc.sha256)  # StorageUnavailable: intake.app answers 503 with Retry-After
    except FileMissing:
        log.error("document %s: its stored file %s… is missing", doc.id, doc.sha256[:12])
        return _error(request, user, "此文件已不在文件存储中，无法显示。请联系管理员。", 404)
    media = doc.content_type
    if page is not None and doc.content_type == "application/pdf":
        if not page.isdigit() or not 1 <= int(page) <= 500:
            return Response(status_code=404)
        data = _pdf_child(data, "page", page, str(PDF_VIEW_DPI))
        if data is None:
            return Response(status_code=404)
        media = "image/png"
    audit.record(session, user.actor, "document.view_file", "document", doc.id, case=case.id, via="web",
                 **({"page": int(page)} if page else {}), **details)
    session.commit()
    return Response(data, media_type=media, headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'", "Content-Disposition": "inline"})


def _corrections_map(session: Session, case_id: int) -> dict[tuple[int, int, str], str]:
    return {(c.document_id, c.part or 0, c.field): c.value for c in lifecycle.corrections_for(session, case_id)}


# --------------------------------------------------------------------------- agent


def _requirements(case: Case, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents the case's type needs, each ticked when a read document (or a part of a
    sheet) of a matching kind is there; personal documents count once each."""
    from verify.context import EXCLUSIVE_KINDS
    from verify.requirements import default_rules

    tr = default_rules().types.get(case.type)
    if tr is None:
        return []
    applies = _conditions(case)
    read: list[str] = []
    for d in docs:
        if d["state"] == "done":
            read += [u["kind"] for u in _units(d.get("result"))]
    out = []
    for req in tr.documents:
        ok = applies.get(req.when, True) if req.when else True
        if req.when and ok is False:
            continue
        kind = next((k for k in req.kinds if k in read), None)
        if kind is not None and kind in EXCLUSIVE_KINDS:
            read.remove(kind)
        out.append({"party": PARTY_ZH.get(req.party, req.party),
                    "label": "或".join(KIND_ZH.get(k, k) for k in req.kinds),
                    "done": kind is not None, "when": WHEN_ZH.get(req.when) if req.when and ok is None else None,
                    "optional": False})
    for k in tr.optional_documents:
        out.append({"party": "", "label": KIND_ZH.get(k, k), "done": k in read, "when": None, "optional": True})
    return out


def _conditions(case: Case) -> dict[str, bool | None]:
    """Which ``when`` conditions hold for this case (None where the record cannot say)."""
    try:
        from verify.context import condition_holds
        from verify.types import Policy as PolicyT

        p = PolicyT.model_validate(case.policy.to_record())
        return {w: condition_holds(w, p, case.requested or {}) for w in WHEN_ZH}
    except Exception:
        log.warning("case %s: conditions of the document rules could not be worked out", case.id, exc_info=True)
        return {w: None for w in WHEN_ZH}


def _agent_case(session: Session, user: Principal, case_id: int) -> Case:
    case = cases.get_case(session, user, case_id)
    if user.role == "agent" and case.created_by != user.id:  # get_case already hides it; twice is cheap
        raise errors.CaseNotFound(f"case {case_id} not found")
    return case


@router.get("/agent", response_class=HTMLResponse)
def agent_page(request: Request, session: SessionDep, user=_page("agent")):
    from verify.requirements import default_rules

    policy_no = (request.query_params.get("policy_no") or "").strip()[:32]
    found = None
    flash = _flash(request)
    if policy_no:
        p = session.get(Policy, policy_no)
        if p is None:
            flash["error"] = flash["error"] or f"未找到保单 {policy_no}，请核对保单号。"
        else:
            rules = default_rules()
            found = {"policy_no": p.policy_no, "holder": mask_name((p.policyholder or {}).get("name")),
                     "status": POLICY_STATUS_ZH.get(p.status, p.status), "product": p.product or "",
                     "types": [{"name": n, "title": t.title, "allowed": p.status in t.allowed_status}
                               for n, t in rules.types.items()]}
    rows = cases.list_cases(session, user, limit=AGENT_LIST_SIZE)
    mine = []
    for c in rows:
        s = case_summary(c)
        s["holder"] = mask_name(s["policyholder_name"])
        s["reason"] = scrub(c.decision_reason or "") if c.state == "returned" else None
        mine.append(s)
    return templates.TemplateResponse(request, "agent.html", {
        "user": user, "policy_no": policy_no, "found": found, "cases": mine, "types_zh": _types_zh(), **flash})


@router.post("/agent/cases")
def agent_create_case(request: Request, session: SessionDep, policy_no: Annotated[str, Form()],
                      type: Annotated[str, Form()], user=_page("agent")):
    policy_no = policy_no.strip()[:32]
    try:
        case = cases.create_case(session, user, policy_no, type)
    except errors.PolicyNotFound:
        session.rollback()
        return _go("/agent", policy_no=policy_no, err=f"未找到保单 {policy_no}。")
    except errors.InvalidCaseType:
        session.rollback()
        return _go("/agent", policy_no=policy_no, err="请选择保全项目。")
    session.commit()
    return _go(f"/agent/cases/{case.id}", msg=f"已创建案件 {case.id}，请拍摄或选择所需文件。")


@router.get("/agent/cases/{case_id}", response_class=HTMLResponse)
def agent_case_page(request: Request, case_id: PathId, session: SessionDep, user=_page("agent")):
    try:
        case = _agent_case(session, user, case_id)
    except errors.CaseNotFound:
        return _error(request, user, f"没有找到案件 {case_id}，或您无权查看。", 404)
    detail = case_detail(case, user)  # masked for agents
    if detail["decision"] and detail["masked"]:
        detail["decision"] = {**detail["decision"], "reason": scrub(detail["decision"]["reason"] or "")}
    docs = detail["documents"]
    for d in docs:
        units = _units(d.get("result"))
        d["kinds"] = "、".join(KIND_ZH.get(u["kind"] or "", u["kind"] or "") for u in units)
        issues = [i for u in units for i in (u["quality"].get("issues") or [])]
        d["issues"] = "、".join(dict.fromkeys(QUALITY_ZH.get(i.get("code"), i.get("code")) for i in issues))
        d["retake"] = any(i.get("severity") == "error" for i in issues) or d.get("state") == "failed"
    busy = case.state == "processing" or any(d["state"] in ("queued", "processing") for d in docs)
    return templates.TemplateResponse(request, "agent_case.html", {
        "user": user, "case": detail, "title": _types_zh().get(case.type, case.type),
        "holder": mask_name((case.policy.policyholder or {}).get("name")), "docs": docs,
        "requirements": _requirements(case, docs), "busy": busy,
        "can_upload": case.state not in ("approved", "rejected"),
        "can_submit": case.state in ("draft", "returned", "processing", "ready_for_review") and bool(docs)
        and (case.submitted_at is None or case.state == "returned"),
        **_flash(request)})


@router.post("/agent/quick-check")
async def agent_quick_check(request: Request, rt: RuntimeDep, file: UploadFile = File(...), user=_page("agent")):
    """The API's quick check for the page (cookie instead of bearer): a verdict, nothing stored."""
    from intake.api.routes.quick_check import quick_check_file

    try:
        return await quick_check_file(rt, file)
    except HTTPException as exc:
        words = {415: "文件类型不支持，请拍照或选择图片", 422: "文件为空或图片像素过多", 413: "文件太大",
                 503: "检查繁忙，请稍后再试"}
        return JSONResponse({"error": words.get(exc.status_code, "无法检查此文件")}, status_code=exc.status_code)


def _upload_error_zh(exc: Exception) -> str:
    if isinstance(exc, UploadRejected):
        return {415: "文件类型不支持（仅限图片或 PDF）", 413: "文件太大"}.get(exc.status, "文件为空或图片像素过多")
    if isinstance(exc, StorageFull):
        return "存储空间不足，请稍后再试"
    if isinstance(exc, errors.IllegalTransition):
        return f"案件{STATE_ZH.get(exc.state, exc.state)}，不能再上传文件"
    return "上传失败"


@router.post("/agent/cases/{case_id}/documents")
async def agent_upload(request: Request, case_id: PathId, session: SessionDep, rt: RuntimeDep,
                       files: list[UploadFile] = File(...), user=_page("agent")):
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        case = await run_in_threadpool(_agent_case, session, user, case_id)
    except errors.CaseNotFound:
        if wants_json:
            return JSONResponse({"error": "案件不存在"}, status_code=404)
        return _error(request, user, f"没有找到案件 {case_id}，或您无权查看。", 404)
    if len(files) > defaults.MAX_FILES_PER_UPLOAD:
        msg = f"一次最多上传 {defaults.MAX_FILES_PER_UPLOAD} 个文件"
        return JSONResponse({"error": msg}, status_code=422) if wants_json else _go(f"/agent/cases/{case_id}", err=msg)
    try:
        uploads = [cases.Upload(f.filename, await f.read()) for f in files]
        # fsync, SQL, and the ids read back after the commit: all off the event loop (see the API's upload)
        ids = await run_in_threadpool(lambda: [d.id for d in cases.add_documents(
            session, rt.store, user, case, uploads, rt.enqueue_document, max_pixels=rt.settings.max_pixels)])
    except (UploadRejected, StorageFull, errors.IllegalTransition) as exc:
        session.rollback()
        code = exc.status if isinstance(exc, UploadRejected) else 409 if isinstance(exc, errors.IllegalTransition) \
            else 507
        msg = _upload_error_zh(exc)
        return JSONResponse({"error": msg}, status_code=code) if wants_json else _go(f"/agent/cases/{case_id}", err=msg)
    if wants_json:
        return JSONResponse({"documents": ids, "message": f"已上传 {len(ids)} 个文件"}, status_code=201)
    return _go(f"/agent/cases/{case_id}", msg=f"已上传 {len(ids)} 个文件，正在识别。")


@router.get("/agent/cases/{case_id}/documents/{document_id}/file")
def agent_document_file(request: Request, case_id: PathId, document_id: PathId, session: SessionDep, rt: RuntimeDep,
                        user=_page("agent")):
    """The agent's own photo (their own case only)."""
    try:
        case = _agent_case(session, user, case_id)
    except errors.CaseNotFound:
        return Response(status_code=404)
    return _serve_document(request, session, rt, user, case, document_id)


@router.post("/agent/cases/{case_id}/documents/{document_id}/withdraw")
def agent_withdraw(request: Request, case_id: PathId, document_id: PathId, session: SessionDep, user=_page("agent")):
    try:
        case = _agent_case(session, user, case_id)
        cases.withdraw_document(session, user, case, document_id)
    except (errors.CaseNotFound, errors.DocumentNotFound):
        return _error(request, user, f"没有找到案件 {case_id} 的这份文件，或您无权查看。", 404)
    except errors.DocumentBusy:
        session.rollback()
        return _go(f"/agent/cases/{case_id}", err="这份文件还在识别中，识别完成后才能撤回。")
    except errors.IllegalTransition as exc:
        session.rollback()
        return _go(f"/agent/cases/{case_id}", err=f"案件{STATE_ZH.get(exc.state, exc.state)}，不能撤回文件。")
    return _go(f"/agent/cases/{case_id}", msg="已撤回这份文件。")


@router.post("/agent/cases/{case_id}/submit")
def agent_submit(request: Request, case_id: PathId, session: SessionDep, user=_page("agent")):
    try:
        case = _agent_case(session, user, case_id)
        was = case.state
        lifecycle.submit(session, user, case)
    except errors.CaseNotFound:
        return _error(request, user, f"没有找到案件 {case_id}，或您无权查看。", 404)
    except errors.IllegalTransition as exc:
        session.rollback()
        msg = ("请先上传文件再提交。" if "without documents" in str(exc)
               else f"案件{STATE_ZH.get(exc.state, exc.state)}，不能提交。")
        return _go(f"/agent/cases/{case_id}", err=msg)
    return _go(f"/agent/cases/{case_id}", msg="已重新提交，等待审核。" if was == "returned" else "已提交，等待审核。")


# --------------------------------------------------------------------------- clerk


def _int(v: str | None, lo: int = 0, hi: int = 10**6) -> int | None:
    try:
        return min(max(int(str(v).strip()), lo), hi) if v not in (None, "") else None
    except ValueError:
        return None


def _needs_review(case: Case, corrected: set[tuple[int, int, str]]) -> int:
    """Fields the machine flagged that no clerk has corrected yet."""
    n = 0
    for d in case.documents:
        if d.extraction is None:
            continue
        res = {"fields": d.extraction.fields, "parts": d.extraction.parts, "kind": d.extraction.kind}
        for u in _units(res):
            n += sum(1 for name, f in u["fields"].items()
                     if f.get("needs_review") and (d.id, u["part"], name) not in corrected)
    return n


def queue(session: Session, *, type: str | None = None, state: str | None = "ready_for_review",
          min_age: int | None = None, max_age: int | None = None, min_disc: int | None = None,
          max_disc: int | None = None, review: str | None = None, sort: str = "oldest",
          min_risk: int | None = None, page: int = 1, page_size: int = QUEUE_PAGE_SIZE) -> dict[str, Any]:
    """The clerk's queue: filtered, sorted by age or by risk score (highest first, unscored
    last), one page of it, and the counts per state."""
    now = utcnow()
    n_disc = (select(func.count(Discrepancy.id)).where(Discrepancy.case_id == Case.id)
              .correlate(Case).scalar_subquery())
    n_err = (select(func.count(Discrepancy.id)).where(Discrepancy.case_id == Case.id, Discrepancy.severity == "error")
             .correlate(Case).scalar_subquery())
    q = select(Case, n_disc, n_err).options(selectinload(Case.policy),
                                            selectinload(Case.documents).selectinload(Document.extraction))
    counts_q = select(Case.state, func.count(Case.id)).group_by(Case.state)
    if type:
        q = q.where(Case.type == type)
        counts_q = counts_q.where(Case.type == type)
    if state:
        q = q.where(Case.state == state)
    if min_age is not None:
        q = q.where(Case.created_at <= now - timedelta(days=min_age))
    if max_age is not None:
        q = q.where(Case.created_at > now - timedelta(days=max_age + 1))
    if min_disc is not None:
        q = q.where(n_disc >= min_disc)
    if max_disc is not None:
        q = q.where(n_disc <= max_disc)
    if min_risk is not None:
        q = q.where(Case.risk_score >= min_risk)
    if sort == "risk":
        order = (Case.risk_score.is_(None), Case.risk_score.desc(), Case.created_at.asc(), Case.id.asc())
    elif sort == "newest":
        order = (Case.created_at.desc(), Case.id.desc())
    else:
        order = (Case.created_at.asc(), Case.id.asc())
    rows = list(session.execute(q.order_by(*order)).all())
    ids = [c.id for c, _, _ in rows]
    corrected: set[tuple[int, int, str]] = set()
    if ids:
        corrected = {(c.document_id, c.part or 0, c.field) for c in session.execute(
            select(FieldCorrection).where(FieldCorrection.case_id.in_(ids))).scalars()}
    items = []
    for c, nd, ne in rows:
        nr = _needs_review(c, corrected)
        if review == "yes" and not nr or review == "no" and nr:
            continue
        s = case_summary(c)
        s.update(discrepancies=nd, errors=ne, needs_review=nr, age=_days(c.created_at, now),
                 submitted_at=c.submitted_at)
        items.append(s)
    total = len(items)
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    counts = {s: 0 for s in CASE_STATES}
    counts.update({s: n for s, n in session.execute(counts_q).all()})
    return {"items": items[(page - 1) * page_size: page * page_size], "total": total, "page": page, "pages": pages,
            "counts": counts}


def _next_case(session: Session, current: Case | None) -> int | None:
    """The next case waiting for review in queue order (oldest first), after ``current``."""
    ready = list(session.execute(select(Case.id, Case.created_at).where(Case.state == "ready_for_review")
                                 .order_by(Case.created_at, Case.id)).all())
    if current is not None:
        later = [i for i, ts in ready if (ts, i) > (current.created_at, current.id)]
        if later:
            return later[0]
        ready = [(i, ts) for i, ts in ready if i != current.id]
    return ready[0][0] if ready else None


@router.get("/clerk", response_class=HTMLResponse)
def clerk_page(request: Request, session: SessionDep, user=_page("clerk")):
    qp = request.query_params
    state = qp.get("state", "ready_for_review")
    state = state if state in CASE_STATES else None  # "all"
    types_zh = _types_zh()
    f = {"type": qp.get("type") if qp.get("type") in types_zh else None, "state": state,
         "min_age": _int(qp.get("min_age")), "max_age": _int(qp.get("max_age")),
         "min_disc": _int(qp.get("min_disc")), "max_disc": _int(qp.get("max_disc")),
         "review": qp.get("review") if qp.get("review") in ("yes", "no") else None,
         "min_risk": _int(qp.get("min_risk"), 0, 100),
         "sort": qp.get("sort") if qp.get("sort") in ("newest", "risk") else "oldest"}
    result = queue(session, **f, page=_int(qp.get("page"), 1) or 1, page_size=QUEUE_PAGE_SIZE)
    form = {k: ("" if v is None else v) for k, v in f.items()}
    form["state"] = state or "all"

    def link(**over: Any) -> str:
        params = {**form, **over}
        return "/clerk?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})

    return templates.TemplateResponse(request, "clerk.html", {
        "user": user, "q": result, "f": form, "types_zh": types_zh, "link": link, "states": CASE_STATES,
        **_flash(request)})


@router.get("/clerk/next")
def clerk_next(request: Request, session: SessionDep, user=_page("clerk")):
    after = _int(request.query_params.get("after"))
    current = session.get(Case, after) if after else None
    nxt = _next_case(session, current)
    if nxt is None:
        return _go("/clerk", msg="队列中没有其他待审核的案件。")
    return _go(f"/clerk/cases/{nxt}")


def _discrepancy_targets(detail: dict[str, Any], views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The discrepancies with the field row (and box) each one is about, where one is."""
    by_label = {f"documents/{d['id']}/{d['filename']}": d["id"] for d in views}
    rows = [r for d in views for r in d["rows"]]
    source = (detail.get("verification") or {}).get("discrepancies")
    if source is None:
        source = [{**x, "document": None} for x in detail["discrepancies"]]
    out = []
    for i, x in enumerate(source):
        doc_id = by_label.get(str(x.get("document") or "").split("#", 1)[0], x.get("document_id"))
        leaf = re.sub(r"\[\d*\]", "", str(x.get("field") or "")).rsplit(".", 1)[-1]
        leaf = DISCREPANCY_FIELD.get(leaf, leaf)
        target = next((r["key"] for r in rows if r["name"] == leaf and (doc_id is None or r["doc"] == doc_id)), None)
        if target is None and doc_id is not None:
            target = next((r["key"] for r in rows if r["doc"] == doc_id), None)
        out.append({**x, "expected": x.get("expected"), "found": x.get("found"), "message": x.get("message"),
                    "n": i, "target": target, "doc_id": doc_id,
                    "other_case": x.get("other_case") or x.get("other_case_id"),
                    "code_zh": DISCREPANCY_ZH.get(x.get("code"), x.get("code"))})
    out.sort(key=lambda x: x.get("severity") != "error")
    return out


def _requested_rows(case: Case, detail: dict[str, Any]) -> list[dict[str, Any]]:
    prefill = (detail.get("verification") or {}).get("prefill") or {}
    keys = list(dict.fromkeys([*(case.requested or {}), *prefill]))
    out = []
    for k in keys:
        v = (case.requested or {}).get(k)
        p = prefill.get(k) if v in (None, "") else None
        if isinstance(p, dict):  # {"value", "source", "field": "<kind>.<field>", "needs_review"}
            kind = str(p.get("field") or "").split(".", 1)[0]
            p = {"value": p.get("value"), "from": KIND_ZH.get(kind, kind), "needs_review": bool(p.get("needs_review"))}
        elif p is not None:
            p = {"value": p, "from": "", "needs_review": False}
        out.append({"key": k, "label": _field_zh(k), "value": v if v not in (None, "") else None, "prefill": p})
    return out


def _risk_detail(name: str, d: dict[str, Any]) -> str:
    if name == "risk_warnings":
        return "，".join(f"{DISCREPANCY_ZH.get(k, k)} ×{v}" for k, v in d.items()) or "无"
    if name == "money":
        return f"{d['amount']} 元（{d.get('source', '')}）" if d.get("amount") else "不涉及"
    if name == "agent":
        return (f"近期其他案件 {d.get('cases', 0)} 个：退回 {d.get('returned', 0)}，拒绝 {d.get('rejected', 0)}，"
                f"有风险提示 {d.get('flagged', 0)}")
    return f"错误 {d.get('errors', 0)}，提示 {d.get('warnings', 0)}"


def _risk_parts(parts: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The score's parts as the clerk reads them."""
    return [{"name": p["name"], "label": RISK_PART_ZH.get(p["name"], p["name"]), "points": p["points"],
             "detail": _risk_detail(p["name"], p.get("detail") or {})} for p in (parts or {}).get("parts", [])]


@router.get("/clerk/cases/{case_id}", response_class=HTMLResponse)
def clerk_case(request: Request, case_id: PathId, session: SessionDep, rt: RuntimeDep, user=_page("clerk")):
    try:
        case = cases.get_case(session, user, case_id)
    except errors.CaseNotFound:
        return _error(request, user, f"没有找到案件 {case_id}。", 404)
    if unmasked_roles(user):
        audit.record(session, user.actor, "case.view_unmasked", "case", case.id, via="web")
        session.commit()
    corrections = lifecycle.corrections_for(session, case.id)
    detail = case_detail(case, user, corrections)
    views = _doc_views(rt, detail["documents"], {d.id: d for d in case.documents},
                       _corrections_map(session, case.id), f"/clerk/cases/{case.id}/documents/{{doc}}/file")
    discrepancies = _discrepancy_targets(detail, views)
    record = case.policy.to_record() if case.policy else {}
    return templates.TemplateResponse(request, "clerk_case.html", {
        "risk_parts": _risk_parts(case.risk_parts),
        "user": user, "case": detail, "docs": views, "discrepancies": discrepancies,
        "open_errors": sum(1 for x in detail["discrepancies"] if x["severity"] == "error"),
        "title": _types_zh().get(case.type, case.type), "record": record,
        "requested": _requested_rows(case, detail), "age": _days(case.created_at),
        "in_review": case.state == "ready_for_review", **_flash(request)})


@router.post("/clerk/cases/{case_id}/fields")
def clerk_correct(request: Request, case_id: PathId, session: SessionDep, document_id: Annotated[int, Form(ge=1, le=MAX_ID)],
                  field: Annotated[str, Form()], value: Annotated[str, Form()] = "",
                  part: Annotated[int, Form()] = 0, user=_page("clerk")):
    back = f"/clerk/cases/{case_id}#f-{document_id}-{part}-{field[:64]}"
    try:
        case = cases.get_case(session, user, case_id)
        lifecycle.correct_field(session, user, case, document_id, field[:64], value[:MAX_CORRECTION_CHARS],
                                part or None)
    except errors.CaseNotFound:
        return _error(request, user, f"没有找到案件 {case_id}。", 404)
    except errors.IllegalTransition as exc:
        session.rollback()
        return _go(back, err=f"只有待审核的案件可以更正字段（此案件{STATE_ZH.get(exc.state, exc.state)}）。")
    except (errors.InvalidCorrection, errors.DocumentNotFound) as exc:
        session.rollback()
        msg = "更正值不能为空。" if "empty" in str(exc) else "此文件没有这个字段。"
        return _go(back, err=msg)
    return _go(back, msg=f"已更正{_field_zh(field)}，差异已重新核对。")


@router.post("/clerk/cases/{case_id}/decision")
def clerk_decide(request: Request, case_id: PathId, session: SessionDep, action: Annotated[str, Form()],
                 reason: Annotated[str, Form()] = "", override_reason: Annotated[str, Form()] = "",
                 user=_page("clerk")):
    back = f"/clerk/cases/{case_id}"
    try:
        case = cases.get_case(session, user, case_id)
        lifecycle.decide(session, user, case, action, reason, override_reason)
    except errors.CaseNotFound:
        return _error(request, user, f"没有找到案件 {case_id}。", 404)
    except errors.ApprovalBlocked:
        session.rollback()
        return _go(back, err="有未解决的错误级差异：请先更正，或填写放行理由后再通过。")
    except errors.IllegalTransition as exc:
        session.rollback()
        return _go(back, err=f"此案件{STATE_ZH.get(exc.state, exc.state)}，不能再作决定。")
    except errors.InvalidDecision:
        session.rollback()
        return _go(back, err="退回或拒绝必须填写原因。" if action in ACTION_ZH else "未知的操作。")
    msg = f"案件 {case_id} 已{ACTION_ZH[action]}。"
    nxt = _next_case(session, case)
    return _go(f"/clerk/cases/{nxt}" if nxt else "/clerk", msg=msg)


@router.get("/clerk/cases/{case_id}/documents/{document_id}/file")
def clerk_document_file(request: Request, case_id: PathId, document_id: PathId, session: SessionDep, rt: RuntimeDep,
                        user=_page("clerk")):
    """The uploaded file itself, for a clerk looking at the case: authorised, audited, never cached."""
    try:
        case = cases.get_case(session, user, case_id)
    except errors.CaseNotFound:
        return Response(status_code=404)
    return _serve_document(request, session, rt, user, case, document_id)


# --------------------------------------------------------------------------- audit


def _date(v: str | None) -> date | None:
    try:
        return date.fromisoformat(v) if v else None
    except ValueError:
        return None


def _float(v: str | None) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except ValueError:
        return None


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: SessionDep, user=_page("audit")):
    samples = list(session.execute(select(AuditSample).order_by(AuditSample.id.desc()).limit(50)).scalars())
    reviewed = dict(session.execute(select(AuditReview.sample_id, func.count(AuditReview.id))
                                    .group_by(AuditReview.sample_id)).all())
    report = audit.verify_chain(session)
    today = date.today()
    return templates.TemplateResponse(request, "audit.html", {
        "user": user, "samples": samples, "reviewed": reviewed, "report": report,
        "defaults": {"seed": today.strftime("%Y%m%d"), "rate": "0.1", "from": (today - timedelta(days=30)).isoformat(),
                     "to": today.isoformat(), "min_per_stratum": 1, "top_risk": 1},
        **_flash(request)})


@router.post("/audit/samples")
async def audit_draw(request: Request, session: SessionDep, user=_page("audit")):
    form = await request.form()
    seed = _int(form.get("seed"), -(2**62), 2**62)
    rate, d_from, d_to = _float(form.get("rate")), _date(form.get("from")), _date(form.get("to"))
    if seed is None or rate is None or d_from is None or d_to is None:
        return _go("/audit", err="请填写随机种子、抽样比例和起止日期。")
    strata = tuple(s for s in form.getlist("strata") if s in audit_sampling.STRATA)
    req = audit_sampling.SampleRequest(seed=seed, rate=rate, date_from=d_from, date_to=d_to, strata=strata,
                                       min_per_stratum=_int(form.get("min_per_stratum"), 0, 10_000) or 0,
                                       auto_rate=_float(form.get("auto_rate")),
                                       override_rate=_float(form.get("override_rate")),
                                       top_risk=_int(form.get("top_risk"), 0, 10_000) or 0,
                                       risk_threshold=_float(form.get("risk_threshold")))
    try:
        sample = audit_sampling.draw_sample(session, user, req)
    except audit_sampling.SampleError as exc:
        session.rollback()
        text = str(exc)
        msg = ("比例必须在 0 到 1 之间。" if "between 0 and 1" in text else "结束日期早于开始日期。" if "before" in text
               else "每层最少数量不能为负。" if "min_per_stratum" in text
               else "风险分阈值必须在 0 到 100 之间。" if "risk_threshold" in text else "抽样参数无效。")
        return _go("/audit", err=msg)
    return _go(f"/audit/samples/{sample.id}", msg=f"已抽取样本 {sample.id}：{len(sample.case_ids)} 个案件。")


@router.get("/audit/samples/{sample_id}", response_class=HTMLResponse)
def audit_sample_page(request: Request, sample_id: PathId, session: SessionDep, user=_page("audit")):
    try:
        sample = audit_sampling.get_sample(session, sample_id)
    except errors.CaseNotFound:
        return _error(request, user, f"没有找到样本 {sample_id}。", 404)
    reviews = {r.case_id: r for r in session.execute(select(AuditReview).where(AuditReview.sample_id == sample.id))
               .scalars()}
    found = {cid: (t, r) for cid, t, r in session.execute(
        select(Case.id, Case.type, Case.risk_score).where(Case.id.in_(sample.case_ids or []))).all()}
    types_zh = _types_zh()
    certain = set((sample.params or {}).get("certain") or [])
    rows = [{"id": cid, "type": types_zh.get(found.get(cid, ("", None))[0], found.get(cid, ("", None))[0]),
             "risk": found.get(cid, ("", None))[1], "certain": cid in certain, "review": reviews.get(cid)}
            for cid in sample.case_ids or []]
    return templates.TemplateResponse(request, "audit_sample.html", {
        "user": user, "sample": sample, "rows": rows, "done": len(reviews), **_flash(request)})


@router.get("/audit/samples/{sample_id}/cases/{case_id}", response_class=HTMLResponse)
def audit_review_page(request: Request, sample_id: PathId, case_id: PathId, session: SessionDep, rt: RuntimeDep,
                      user=_page("audit")):
    try:
        view = audit_sampling.blind_view(session, user, sample_id, case_id)
    except errors.CaseNotFound:
        return _error(request, user, f"样本 {sample_id} 中没有案件 {case_id}。", 404)
    case = audit_sampling.sampled_case(session, audit_sampling.get_sample(session, sample_id), case_id)
    views = _doc_views(rt, view["documents"], {d.id: d for d in case.documents}, {},
                       f"/audit/samples/{sample_id}/cases/{case_id}/documents/{{doc}}/file")
    sample = audit_sampling.get_sample(session, sample_id)
    ids = list(sample.case_ids or [])
    reviewed = set(session.execute(select(AuditReview.case_id).where(AuditReview.sample_id == sample_id)).scalars())
    nxt = next((c for c in ids if c not in reviewed and c != case_id), None)
    clerk = view.get("clerk")
    return templates.TemplateResponse(request, "audit_review.html", {
        "user": user, "view": view, "docs": views, "title": _types_zh().get(view["type"], view["type"]),
        "requested": [{"label": _field_zh(k), "value": v} for k, v in (view.get("requested") or {}).items()],
        "machine": [{**x, "code_zh": DISCREPANCY_ZH.get(x.get("code"), x.get("code"))}
                    for x in view.get("machine_discrepancies") or []],
        "clerk": clerk, "review": view.get("review"), "next_case": nxt,
        "agrees": clerk is not None and view["review"]["verdict"] == clerk.get("decision"), **_flash(request)})


@router.post("/audit/samples/{sample_id}/cases/{case_id}/review")
async def audit_record_review(request: Request, sample_id: PathId, case_id: PathId, session: SessionDep,
                              user=_page("audit")):
    form = await request.form()
    verdict = str(form.get("verdict") or "")
    fields = {str(k)[2:]: str(v)[:MAX_CORRECTION_CHARS] for k, v in form.multi_items()
              if str(k).startswith("f:") and str(v).strip()}
    back = f"/audit/samples/{sample_id}/cases/{case_id}"
    if verdict not in ACTION_ZH:
        return _go(back, err="请选择您的结论：通过、退回或拒绝。")
    try:
        audit_sampling.record_review(session, user, sample_id, case_id, verdict, fields)
    except errors.CaseNotFound:
        return _error(request, user, f"样本 {sample_id} 中没有案件 {case_id}。", 404)
    except audit_sampling.AlreadyReviewed:
        session.rollback()
        return _go(back, err="此案件已有结论，不能重复复核。")
    except audit_sampling.SampleError:
        session.rollback()
        return _go(back, err="字段值无效。")
    return _go(back, msg="已记录您的结论；下方显示审核员的决定。")


@router.get("/audit/samples/{sample_id}/cases/{case_id}/pack")
def audit_evidence_pack(request: Request, sample_id: PathId, case_id: PathId, session: SessionDep, rt: RuntimeDep,
                        user=_page("audit")):
    """The case's evidence pack (PDF) for its auditor, once this sample's verdict is recorded:
    the pack shows the clerk's corrections and decision, which the blind re-check must not."""
    try:
        case = audit_sampling.sampled_case(session, audit_sampling.get_sample(session, sample_id), case_id)
    except errors.CaseNotFound:
        return _error(request, user, f"样本 {sample_id} 中没有案件 {case_id}。", 404)
    reviewed = session.execute(select(AuditReview.id).where(AuditReview.sample_id == sample_id,
                                                            AuditReview.case_id == case.id)).first()
    if reviewed is None:
        return _go(f"/audit/samples/{sample_id}/cases/{case_id}", err="请先记录您的复核结论，再下载证据包。")
    pdf = evidence.evidence_pack(session, rt.store, case.id)
    audit.record(session, user.actor, "audit.evidence_pack", "case", case.id, sample=sample_id, bytes=len(pdf))
    session.commit()
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="evidence-case-{case.id}.pdf"', "Cache-Control": "no-store"})


@router.get("/audit/samples/{sample_id}/cases/{case_id}/documents/{document_id}/file")
def audit_document_file(request: Request, sample_id: PathId, case_id: PathId, document_id: PathId, session: SessionDep,
                        rt: RuntimeDep, user=_page("audit")):
    """A sampled case's file for its auditor: only cases of that sample."""
    try:
        case = audit_sampling.sampled_case(session, audit_sampling.get_sample(session, sample_id), case_id)
    except errors.CaseNotFound:
        return Response(status_code=404)
    return _serve_document(request, session, rt, user, case, document_id, sample=sample_id)


def _stats_range(request: Request) -> tuple[date | None, date | None]:
    return _date(request.query_params.get("from")), _date(request.query_params.get("to"))


@router.get("/audit/stats", response_class=HTMLResponse)
def audit_stats_page(request: Request, session: SessionDep, user=_page("audit")):
    d_from, d_to = _stats_range(request)
    stats = audit_sampling.statistics(session, d_from, d_to)
    types_zh = _types_zh()
    corrections = [{**f, "label": f"{KIND_ZH.get(f['kind'], f['kind'])}·{_field_zh(f['field'])}",
                    "changed": f["n"] - f["exact"]} for f in stats["field_accuracy"]]
    q = urlencode({k: v for k, v in (("from", d_from), ("to", d_to)) if v})
    return templates.TemplateResponse(request, "audit_stats.html", {
        "user": user, "s": stats, "types_zh": types_zh, "fields": corrections,
        "from": d_from.isoformat() if d_from else "", "to": d_to.isoformat() if d_to else "",
        "csv_url": "/audit/stats.csv" + (f"?{q}" if q else ""),
        "chart_days": _chart_agreement(stats), "chart_fields": _chart_fields(corrections)})


@router.get("/audit/stats.csv")
def audit_stats_csv(request: Request, session: SessionDep, user=_page("audit")):
    d_from, d_to = _stats_range(request)
    text = audit_sampling.statistics_csv(audit_sampling.statistics(session, d_from, d_to))
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit-stats.csv"',
                             "Cache-Control": "no-store"})


@router.get("/audit/trail", response_class=HTMLResponse)
def audit_trail(request: Request, session: SessionDep, user=_page("audit")):
    events = list(session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())
                                  .limit(defaults.AUDIT_PAGE_SIZE)).scalars())
    report = audit.verify_chain(session)
    return templates.TemplateResponse(request, "audit_trail.html", {"user": user, "events": events, "report": report})


# --------------------------------------------------------------------------- charts (server-side SVG)

_CHART_RC = {"svg.fonttype": "none", "font.size": 9,
             "font.family": ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "DejaVu Sans"],
             "axes.spines.top": False, "axes.spines.right": False}


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<svg([^>]*?)\swidth="[^"]*"\sheight="[^"]*"', r'<svg\1 class="chart" role="img"', svg, count=1)
    return svg


def _chart_agreement(stats: dict[str, Any]) -> str | None:
    """Decision agreement per day of review, with its 95 % interval."""
    by_day = stats["decision_agreement_by_day"]
    if not by_day:
        return None
    import matplotlib
    from matplotlib.figure import Figure

    days = list(by_day)
    rates = [by_day[d]["rate"] * 100 for d in days]
    lo = [(by_day[d]["rate"] - by_day[d]["ci95"][0]) * 100 for d in days]
    hi = [(by_day[d]["ci95"][1] - by_day[d]["rate"]) * 100 for d in days]
    with matplotlib.rc_context(_CHART_RC):
        fig = Figure(figsize=(6.4, 2.8))
        ax = fig.subplots()
        x = range(len(days))
        ax.errorbar(x, rates, yerr=[lo, hi], fmt="o-", color="#1f5fa8", ecolor="#9bb8dc", capsize=3)
        ax.set_xticks(list(x), [d[5:] for d in days], rotation=45 if len(days) > 8 else 0)
        ax.set_ylim(0, 105)
        ax.set_ylabel("一致率 %")
        ax.set_title("决定一致率（按复核日期，95% 区间）")
        for i, d in enumerate(days):
            ax.annotate(f"n={by_day[d]['n']}", (i, 2), ha="center", fontsize=7, color="#666")
        return _svg(fig)


def _chart_fields(fields: list[dict[str, Any]]) -> str | None:
    """Share of each field's machine readings changed (by a clerk or an auditor)."""
    fields = [f for f in fields if f["n"]]
    if not fields:
        return None
    import matplotlib
    from matplotlib.figure import Figure

    fields = sorted(fields, key=lambda f: f["changed"] / f["n"])
    with matplotlib.rc_context(_CHART_RC):
        fig = Figure(figsize=(6.4, 0.8 + 0.24 * len(fields)))
        ax = fig.subplots()
        vals = [100 * f["changed"] / f["n"] for f in fields]
        ax.barh(range(len(fields)), vals, color="#e07b24")
        ax.set_yticks(range(len(fields)), [f["label"] for f in fields])
        ax.set_xlim(0, max(10.0, max(vals) * 1.15))
        ax.set_xlabel("更正率 %")
        ax.set_title("各字段的更正率（机器读数被更改的比例）")
        for i, f in enumerate(fields):
            ax.annotate(f"{f['changed']}/{f['n']}", (vals[i], i), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=7)
        return _svg(fig)
