"""判决书 / 调解书: court, case_number, parties, judgment_date, mentions_policy_numbers.

- court: the ``…人民法院`` standing on a line of its own (the heading), else the first one named;
- case_number: ``（2024）京0105民初12345号`` with full- or half-width brackets (also 〔〕[]),
  normalised to full-width brackets;
- parties: the names after 原告/被告/上诉人/被上诉人/申请人/被申请人/第三人 at the start of a
  paragraph, up to the first comma, 男/女 or bracket; agents (委托诉讼代理人) are skipped;
- judgment_date: the last date in the document (often in Chinese numerals, 二〇二四年五月十日);
- mentions_policy_numbers: every ``P`` + digits token and every number after 保单号.
"""

from __future__ import annotations

import re

from extractors.fields import defaults as D
from extractors.fields._common import flag_variants
from extractors.fields._layout import Seg, Stream, make_field, union_box
from extractors.normalize import names
from extractors.normalize.dates import find_dates, find_truncated_cn_dates, find_partial_dates
from extractors.types import Field, ParseInput

__all__ = ["KIND", "parse"]

KIND = "court_judgment"

_COURT = re.compile(r"[\u4e00-\u9fff]{2,30}?人民法院")
_CASE = re.compile(r"[(（〔\[]\s*(?P<y>(?:19|20)\d{2})\s*[)）〕\]]\s*(?P<body>[\u4e00-\u9fff]{1,3}\d{0,6}[\u4e00-\u9fff]{1,6}\d{1,7})\s*号")
_PARTY = re.compile(
    r"(?:^|\n)(?P<role>被上诉人|上诉人|被申请人|申请人|原告|被告|第三人)(?:\([^)\n]{1,12}\))?[:]?"
    r"(?P<name>[^\n,，;；:(（男女]{2,40}?)(?=[,，;；(（]|男|女|\n|$)")
_POLICY = re.compile(r"(?<![A-Za-z0-9])P\d{6,14}(?![0-9A-Za-z])")
_POLICY_LABEL = re.compile(r"保(?:险)?单(?:号码?|编号)?[:为是]?(?P<v>[A-Z]{0,3}\d{6,20})(?![0-9A-Za-z])")


_HEADING_COURT = re.compile(r"(?m)^[\u4e00-\u9fff]{2,30}人民法院$")


def _heading_court(text: str) -> re.Match | None:
    r"""The court named on a line of its own (the judgment's heading), before any court
    the text goes on to mention (原审法院, a court that ruled earlier, a seal's arc text);
    the caller passes only the text above the case number, where the heading stands.

    >>> _heading_court("本院受理\n浙江省杭州市西湖区人民法院\n民事判决书").group(0)
    '浙江省杭州市西湖区人民法院'
    """
    return _HEADING_COURT.search(text)


def _near_duplicates(values: list[str]) -> bool:
    """Two readings one character apart (or one a prefix of the other): the same number
    read differently at two places of the text, so at least one reading is wrong."""
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            if len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1:
                return True
            if a != b and (a.startswith(b) or b.startswith(a)):
                return True
    return False


_ORG = re.compile(r"[\u4e00-\u9fff()（）A-Za-z0-9]{2,40}(?:公司|银行|集团|医院|学校|大学|委员会|研究院|研究所|事务所|合作社|中心|厂|局|所)")


# narrative after a party's name: 被告方东辩称… / 原告王建国向本院提出诉讼请求…
_SPEECH = re.compile(r"(?:辩称|诉称|述称|答辩称|上诉称|称|认为|提出|向本院|对|于|与|在|已|未|同意|不同意|申请|请求|到庭).*$")


def _plausible_party(name: str) -> bool:
    """A person's name or an organisation's name, not the narrative ``原告王建国与被告…``."""
    if re.search(r"原告|被告|上诉人|申请人|第三人|一案|纠纷", name):
        return False
    return names.is_plausible_name(name) or bool(_ORG.fullmatch(name))


def _list_field(values: list[str], segs_list, conf: float) -> Field:
    boxes = [s.box for segs in segs_list for s in segs]
    return Field(value=values, confidence=round(conf, 4), box=union_box(boxes),
                 page=segs_list[0][0].line.page if segs_list and segs_list[0] else 1,
                 needs_review=conf < D.REVIEW_CONFIDENCE,
                 reasons=[] if conf >= D.REVIEW_CONFIDENCE else ["low_confidence"])


def parse(inp: ParseInput) -> dict[str, Field]:
    out: dict[str, Field] = {}
    flat = Stream(inp.lines)
    rows = Stream(inp.lines, row_sep="\n")
    case = _CASE.search(rows.text)
    m = _heading_court(rows.text[: case.start()] if case else rows.text) or _COURT.search(rows.text)
    if m:
        out["court"] = flag_variants(make_field(m.group(0), rows.segs(m.start(), m.end())))
    m = _CASE.search(flat.text)
    if m:
        value = f"（{m['y']}）{m['body']}号"
        out["case_number"] = make_field(value, flat.segs(m.start(), m.end()), raw=m.group(0))
    names: list[str] = []
    segs_list = []
    for pm in _PARTY.finditer(rows.text):
        name = pm["name"].strip()
        name = name[:2] + _SPEECH.sub("", name[2:])  # the first two characters are the name
        if name.startswith(("委托", "法定代表人", "负责人")) or name in names or not _plausible_party(name):
            continue
        names.append(name)
        segs_list.append(rows.segs(pm.start("name"), pm.end("name")))
    if names:
        conf = min(s.line.confidence for segs in segs_list for s in segs)
        out["parties"] = _list_field(names, segs_list, conf)
    # the judgment date closes the document on a line of its own (often in Chinese numerals)
    standalone = []
    for ln in inp.lines:
        ds, reasons = find_dates(ln.text), []
        if not ds:  # the seal over the date made the recogniser drop characters of the year
            ds, reasons = find_truncated_cn_dates(ln.text), ["ocr_corrected"]
        if not ds:  # or the day: kept as read (YYYY-MM), never completed
            ds, reasons = find_partial_dates(ln.text), ["partial_value"]
        if len(ds) == 1 and ds[0][0] != "长期" and len(re.sub(r"\s", "", ln.text)) <= ds[0][2] - ds[0][1] + 2:
            standalone.append((ln.page, ln.cy, ds[0], ln, reasons))
    # a partial line is the date only when nothing complete closes the text: a date split
    # over two boxes (2024年5月 | 18日) is whole in the joined text
    whole = [t for t in standalone if "partial_value" not in t[4]]
    found = [d for d in find_dates(flat.text) if d[0] != "长期"]
    if whole or (standalone and not found):
        page, _, (iso, a, b), ln, reasons = max(whole or standalone, key=lambda t: (t[0], t[1]))
        out["judgment_date"] = make_field(iso, [Seg(ln, 0, len(ln.text))], reasons=reasons,
                                          factor=D.FUZZY_MATCH_FACTOR if reasons else 1.0)
    elif found:
        iso, a, b = found[-1]
        out["judgment_date"] = make_field(iso, flat.segs(a, b), reasons=["ambiguous_date"])
    found_policies: dict[str, tuple[int, list]] = {}
    for rx, grp in ((_POLICY, 0), (_POLICY_LABEL, "v")):
        for pm in rx.finditer(flat.text):
            v = pm.group(grp)
            if v not in found_policies or pm.start(grp) < found_policies[v][0]:
                found_policies[v] = (pm.start(grp), flat.segs(pm.start(grp), pm.end(grp)))
    if found_policies:
        ordered = sorted(found_policies.items(), key=lambda kv: kv[1][0])  # document order
        policies = [v for v, _ in ordered]
        psegs = [segs for _, (_, segs) in ordered]
        conf = min(s.line.confidence for segs in psegs for s in segs)
        f = _list_field(policies, psegs, conf)
        if _near_duplicates(policies):
            f.reasons.append("conflicting_readings")
            f.needs_review = True
        out["mentions_policy_numbers"] = f
    return out
