"""Character folding shared by the normalisers (full/half width, whitespace)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "fold_compact", "CJK_RE", "TRAD_TO_SIMP", "simplify", "rare_chars"]

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# NFKC leaves these alone; OCR engines emit them for ordinary punctuation.
_EXTRA = str.maketrans({
    "\u3000": " ",
    "。": "。",
    "〇": "〇",
    "–": "-", "—": "-", "－": "-", "~": "-", "～": "-", "〜": "-",
})


def fold(text: object) -> str:
    """NFKC-fold (full-width → half-width) and collapse runs of whitespace.

    >>> fold('１９８５年　３月')
    '1985年 3月'
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).translate(_EXTRA)
    return re.sub(r"\s+", " ", s).strip()


def fold_compact(text: object) -> str:
    """``fold`` and drop all whitespace.

    >>> fold_compact(' 王 建国 ')
    '王建国'
    """
    return re.sub(r"\s+", "", fold(text))


# Traditional forms OCR models (trained on mixed corpora) emit for the simplified
# characters printed on mainland documents. Not exhaustive: the characters common in
# names, addresses and issuing authorities. Only one-to-one pairs are listed (no 發/髮,
# 乾/幹 style many-to-one ambiguities, so a conversion can never pick the wrong one).
_PAIRS = (
    "涼凉 東东 區区 縣县 鎮镇 號号 樓楼 單单 門门 廣广 龍龙 華华 國国 陽阳 長长 興兴 開开 馬马 "
    "張张 陳陈 劉刘 黃黄 趙赵 吳吴 鄭郑 謝谢 楊杨 孫孙 許许 鄧邓 蕭萧 馮冯 葉叶 蘇苏 盧卢 蔣蒋 "
    "賈贾 韓韩 魏魏 傅傅 鍾钟 錢钱 湯汤 顧顾 龔龚 嚴严 陸陆 譚谭 薛薛 閻阎 萬万 雲云 漢汉 滿满 "
    "蘭兰 鳳凤 麗丽 強强 偉伟 軍军 紅红 艷艳 燕燕 鵬鹏 飛飞 劍剑 傑杰 濤涛 輝辉 聰聪 婭娅 瑩莹 "
    "潔洁 靜静 嬌娇 穎颖 寧宁 習习 陝陕 遼辽 嶺岭 灣湾 鄉乡 莊庄 村村 組组 廠厂 貴贵 瀋沈 "
    "濟济 滬沪 贛赣 閩闽 蘇苏 魯鲁 豫豫 鄂鄂 湘湘 粵粤 桂桂 瓊琼 渝渝 蜀蜀 黔黔 滇滇 藏藏 隴陇 "
    "甯宁 疆疆 臺台 遠远 園园 場场 橋桥 灣湾 邊边 衛卫 鐵铁 圍围 溝沟 嶼屿 島岛 灘滩 湧涌 "
    "關关 歸归 雙双 聯联 億亿 農农 業业 號号 層层 間间 陳陈 際际 館馆 務务 處处 員员 會会 "
    "議议 證证 書书 機机 構构 發发 術术 學学 醫医 療疗 設设 計计 廳厅 公公 專专 縣县 轄辖 "
    "縣县 區区 屬属 窪洼 墾垦 礦矿 銀银 幣币 貨货 資资 產产 與与 為为 見见 順顺 豐丰 復复 "
)
TRAD_TO_SIMP: dict[str, str] = {p[0]: p[1] for p in _PAIRS.split() if len(p) == 2 and p[0] != p[1]}


def simplify(text: str) -> tuple[str, bool]:
    """Replace listed traditional characters by their simplified form; say if any was.

    >>> simplify('四川省涼山彝族自治州')
    ('四川省凉山彝族自治州', True)
    >>> simplify('北京市')
    ('北京市', False)
    """
    out = "".join(TRAD_TO_SIMP.get(c, c) for c in text)
    return out, out != text


def rare_chars(text: str) -> list[str]:
    """Han characters outside GB 2312 (where OCR misreads concentrate).

    >>> rare_chars('鄠邑区涼山'), rare_chars('北京市')
    (['鄠', '涼'], [])
    """
    out = []
    for c in text:
        if CJK_RE.match(c):
            try:
                c.encode("gb2312")
            except UnicodeEncodeError:
                out.append(c)
    return out
