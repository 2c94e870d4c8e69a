"""Random but valid synthetic identities, bank cards, employers, courts and numbers.

Everything is drawn from a ``random.Random`` passed in by the caller, so a seed fixes
the output.  No real person is described: names are random combinations, ID numbers
use real region codes (from python-stdnum's ``cn/loc`` database) with random birth dates
and sequence numbers and a correct GB 11643 check digit.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
from dataclasses import asdict, dataclass, field

from stdnum import luhn
from stdnum.cn import ric

__all__ = [
    "Identity", "BankCard", "Region", "REF_DATE", "ETHNICITIES", "BANKS",
    "regions", "pick_region", "make_name", "name_pinyin", "make_id_number", "make_identity",
    "id_validity", "issuing_authority", "make_bank_card", "luhn_complete", "make_employer",
    "make_position", "make_income", "money_upper", "money_str", "make_court", "make_case_number",
    "make_policy_number", "make_phone", "make_address", "cn_date", "cn_date_upper",
    "make_certificate_number", "PROVINCE_ABBR", "bank_by_name", "random_date",
]

# The generator's "today": documents are issued before it, cases are applied for near it.
REF_DATE = dt.date(2026, 11, 20)

# ---------------------------------------------------------------- regions

PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "内", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "贵",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}
_MUNICIPALITIES = {"11", "12", "31", "50"}
_NOT_CITY = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"}
# Provinces weighted roughly by population, so most people come from the big ones.
_PROVINCE_WEIGHT = {
    "11": 4, "12": 2, "13": 5, "14": 3, "15": 2, "21": 3, "22": 2, "23": 2, "31": 4, "32": 6,
    "33": 5, "34": 4, "35": 3, "36": 3, "37": 6, "41": 6, "42": 4, "43": 4, "44": 8, "45": 3,
    "46": 1, "50": 3, "51": 5, "52": 2, "53": 2, "54": 0.3, "61": 3, "62": 2, "63": 0.5,
    "64": 0.5, "65": 1.5,
}


@dataclass(frozen=True)
class Region:
    code: str          # 6-digit county code
    province: str
    city: str          # "" for the four municipalities' districts
    county: str
    since: int         # first year the code was in use (0: always)

    @property
    def prefix(self) -> str:
        """Province + city + county as written in an address."""
        return self.province + self.city + self.county


def _loc_path() -> str:
    import stdnum
    return os.path.join(os.path.dirname(stdnum.__file__), "cn", "loc.dat")


@functools.lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """Current county-level codes with their province and prefecture city names."""
    out: list[Region] = []
    prov_code = province = ""
    cities: dict[str, str] = {}
    with open(_loc_path(), encoding="utf-8") as fh:
        for raw in fh:
            if raw.startswith("#") or not raw.strip():
                continue
            if not raw.startswith(" "):
                code, _, rest = raw.strip().partition(" ")
                prov_code = code
                province = rest.split('"')[1]
                cities = {}
                continue
            code, _, rest = raw.strip().partition(" ")
            name = rest.split('"')[1]
            if prov_code not in PROVINCE_ABBR:
                continue
            since = 0
            if name.startswith("["):
                span, name = name[1:].split("]", 1)
                start, end = span.split("-")
                if end:  # abolished code
                    continue
                since = int(start) if start else 0
            if "," in name:
                continue
            if code.endswith("00"):
                cities[code[:2]] = "" if name in _NOT_CITY else name
                continue
            if name in _NOT_CITY or name.endswith("市区"):
                continue
            city = "" if prov_code in _MUNICIPALITIES else cities.get(code[:2], "")
            if prov_code not in _MUNICIPALITIES and not city:
                city = ""  # 省直辖县级: the county is named directly after the province
            out.append(Region(prov_code + code, province, city, name, since))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _by_province() -> dict[str, list[Region]]:
    d: dict[str, list[Region]] = {}
    for r in regions():
        d.setdefault(r.code[:2], []).append(r)
    return d


def pick_region(rng: random.Random, born: int = 1900, code: str | None = None) -> Region:
    """A real county code in use since before the birth year (so stdnum accepts it)."""
    if code:
        for r in regions():
            if r.code == code:
                return r
        raise ValueError(f"unknown region code {code}")
    by = _by_province()
    provs = sorted(by)
    weights = [_PROVINCE_WEIGHT.get(p, 1) for p in provs]
    for _ in range(50):
        p = rng.choices(provs, weights)[0]
        cands = [r for r in by[p] if r.since <= born]
        if cands:
            return rng.choice(cands)
    return rng.choice([r for r in regions() if r.since == 0])


# ---------------------------------------------------------------- names

_SURNAMES = (
    "王WANG 李LI 张ZHANG 刘LIU 陈CHEN 杨YANG 黄HUANG 赵ZHAO 吴WU 周ZHOU 徐XU 孙SUN 马MA 朱ZHU "
    "胡HU 郭GUO 何HE 高GAO 林LIN 罗LUO 郑ZHENG 梁LIANG 谢XIE 宋SONG 唐TANG 许XU 韩HAN 冯FENG "
    "邓DENG 曹CAO 彭PENG 曾ZENG 肖XIAO 田TIAN 董DONG 袁YUAN 潘PAN 于YU 蒋JIANG 蔡CAI 余YU 杜DU "
    "叶YE 程CHENG 苏SU 魏WEI 吕LYU 丁DING 任REN 沈SHEN 姚YAO 卢LU 姜JIANG 崔CUI 钟ZHONG 谭TAN "
    "陆LU 汪WANG 范FAN 金JIN 石SHI 廖LIAO 贾JIA 夏XIA 韦WEI 付FU 方FANG 白BAI 邹ZOU 孟MENG "
    "熊XIONG 秦QIN 邱QIU 江JIANG 尹YIN 薛XUE 闫YAN 段DUAN 雷LEI 侯HOU 龙LONG 史SHI 黎LI 贺HE "
    "顾GU 毛MAO 郝HAO 龚GONG 邵SHAO 万WAN 覃QIN 武WU 钱QIAN 戴DAI 严YAN 莫MO 孔KONG 向XIANG 常CHANG"
).split()
_COMPOUND = (
    "欧阳OUYANG 司马SIMA 诸葛ZHUGE 上官SHANGGUAN 东方DONGFANG 皇甫HUANGFU 令狐LINGHU 慕容MURONG "
    "司徒SITU 夏侯XIAHOU 尉迟YUCHI 端木DUANMU 公孙GONGSUN 宇文YUWEN"
).split()
_MALE = (
    "伟WEI 强QIANG 磊LEI 军JUN 勇YONG 杰JIE 涛TAO 明MING 超CHAO 刚GANG 平PING 辉HUI 鹏PENG "
    "华HUA 飞FEI 鑫XIN 波BO 斌BIN 宇YU 浩HAO 凯KAI 健JIAN 俊JUN 帆FAN 建JIAN 国GUO 志ZHI 文WEN "
    "博BO 子ZI 轩XUAN 晨CHEN 泽ZE 天TIAN 海HAI 东DONG 峰FENG 成CHENG 龙LONG 家JIA 豪HAO 远YUAN "
    "永YONG 德DE 立LI 新XIN 光GUANG 振ZHEN 荣RONG 庆QING 毅YI 然RAN"
).split()
_FEMALE = (
    "芳FANG 娜NA 敏MIN 静JING 丽LI 艳YAN 娟JUAN 霞XIA 秀XIU 玲LING 婷TING 雪XUE 慧HUI 颖YING "
    "琳LIN 倩QIAN 欣XIN 怡YI 佳JIA 梦MENG 雨YU 萱XUAN 诗SHI 涵HAN 晓XIAO 红HONG 梅MEI 兰LAN "
    "淑SHU 珍ZHEN 月YUE 晶JING 悦YUE 思SI 文WEN 琴QIN 云YUN 凤FENG 洁JIE 蕾LEI"
).split()
_RARE = "堃KUN 赟YUN 喆ZHE 昇SHENG 燚YI 犇BEN 淼MIAO 垚YAO 焱YAN 翀CHONG 玥YUE 婧JING 昊HAO 珺JUN 祎YI 彧YU 骞QIAN 睿RUI".split()


def _split(tok: str) -> tuple[str, str]:
    i = next(i for i, c in enumerate(tok) if c.isascii())
    return tok[:i], tok[i:]


_PINYIN: dict[str, str] = {}
for _tok in _SURNAMES + _COMPOUND + _MALE + _FEMALE + _RARE:
    _h, _p = _split(_tok)
    _PINYIN.setdefault(_h, _p)


def name_pinyin(name: str) -> str:
    """Bank-card style romanisation: 'ZHANG WEI', 'OUYANG XIAOMING'."""
    for tok in _COMPOUND:
        h, p = _split(tok)
        if name.startswith(h):
            return p + " " + "".join(_PINYIN.get(c, "X") for c in name[len(h):])
    return _PINYIN.get(name[0], "X") + " " + "".join(_PINYIN.get(c, "X") for c in name[1:])


def make_name(rng: random.Random, sex: str = "男", length: int | None = None, rare: float = 0.12) -> str:
    """A 2-4 character name; compound surnames and rare characters appear now and then."""
    compound = rng.random() < 0.08 if length is None else length == 4 or (length == 3 and rng.random() < 0.2)
    if compound:
        surname = _split(rng.choice(_COMPOUND))[0]
    else:
        surname = _split(rng.choice(_SURNAMES))[0]
    if length is None:
        given_len = 1 if (not compound and rng.random() < 0.3) else (2 if rng.random() < 0.8 else 1)
    else:
        given_len = max(1, min(2, length - len(surname)))
    pool = _MALE if sex == "男" else _FEMALE
    given = ""
    for _ in range(given_len):
        if rng.random() < rare:
            given += _split(rng.choice(_RARE))[0]
        else:
            given += _split(rng.choice(pool))[0]
    return surname + given


# ---------------------------------------------------------------- ethnicities

ETHNICITIES = tuple(
    "汉 壮 满 回 苗 维吾尔 土家 彝 蒙古 藏 布依 侗 瑶 朝鲜 白 哈尼 哈萨克 黎 傣 畲 傈僳 仡佬 东乡 "
    "高山 拉祜 水 佤 纳西 羌 土 仫佬 锡伯 柯尔克孜 达斡尔 景颇 毛南 撒拉 布朗 塔吉克 阿昌 普米 "
    "鄂温克 怒 京 基诺 德昂 保安 俄罗斯 裕固 乌孜别克 门巴 鄂伦春 独龙 塔塔尔 赫哲 珞巴".split()
)
assert len(ETHNICITIES) == 56


def pick_ethnicity(rng: random.Random, province_code: str = "") -> str:
    if rng.random() < 0.88:
        return "汉"
    local = {"45": "壮", "54": "藏", "65": "维吾尔", "64": "回", "15": "蒙古", "22": "朝鲜",
             "52": "苗", "53": "彝", "21": "满", "43": "土家"}
    if province_code in local and rng.random() < 0.6:
        return local[province_code]
    return rng.choice(ETHNICITIES[1:])


# ---------------------------------------------------------------- addresses

_ROAD = "建国 人民 解放 中山 和平 新华 长江 黄河 文化 胜利 光明 青年 朝阳 东风 幸福 建设 金融 科技 滨江 学府 北京 南京 复兴 民主 团结 迎宾".split()
_ESTATE = "阳光花园 金色家园 翠湖苑 锦绣华庭 碧桂园 绿地新城 万科城 丽景湾 华府天地 书香门第 幸福里 枫林湾 紫荆苑 怡和名都 春晓小区 汇景新城".split()
_STREET = "东华门 建外 望京 新街口 湖滨 城关 中心 西湖 解放 金山 朝晖 南湖 北苑 滨河 文昌 玉泉".split()
_TOWN = "马桥 城东 新塘 白沙 石桥 青山 河口 黄庄 高家 王庄 柳林 杨柳".split()


def make_address(rng: random.Random, region: Region, lines: int | None = None) -> str:
    """An address of about 1-3 ID-card lines (11 characters each) in the region."""
    lines = lines or rng.choice((1, 2, 2, 2, 3, 3))
    prefix = region.prefix
    if lines == 1:
        body = f"{rng.choice(_ROAD)}路{rng.randint(1, 299)}号"
        s = prefix + body
        if len(s) > 11:
            s = region.county + body if len(region.county + body) <= 11 else (region.county + f"{rng.randint(1, 99)}号")
        return s
    if rng.random() < 0.18 and lines >= 2:  # rural
        return (prefix + f"{rng.choice(_TOWN)}镇{rng.choice(_TOWN)}村"
                + (f"{rng.randint(1, 12)}组{rng.randint(1, 99)}号" if lines == 3 else f"{rng.randint(1, 99)}号"))
    s = prefix + f"{rng.choice(_ROAD)}路{rng.randint(1, 399)}号"
    if lines == 3:
        if rng.random() < 0.5:
            s = prefix + f"{rng.choice(_STREET)}街道{rng.choice(_ROAD)}路{rng.randint(1, 399)}号"
        s += (f"{rng.choice(_ESTATE)}{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元"
              f"{rng.randint(1, 33)}{rng.randint(1, 4):02d}室")
    else:
        s += f"{rng.randint(1, 30)}号楼{rng.randint(1, 33)}{rng.randint(1, 4):02d}"
    return s


def make_phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17", "19")) + str(rng.randint(0, 9)) + "".join(
        str(rng.randint(0, 9)) for _ in range(8))


# ---------------------------------------------------------------- ID numbers

def make_id_number(rng: random.Random, region_code: str, birth: dt.date, sex: str) -> str:
    seq = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == "男" else (0, 2, 4, 6, 8))
    body = f"{region_code}{birth:%Y%m%d}{seq:03d}"
    num = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(num), num
    return num


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year + years, day=28)


def _age_at(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def id_validity(birth: dt.date, issue: dt.date) -> str | dt.date:
    """Validity end by the real rules: <16 → 5 y, 16-25 → 10 y, 26-45 → 20 y, ≥46 → 长期."""
    age = _age_at(birth, issue)
    if age < 16:
        return _add_years(issue, 5)
    if age <= 25:
        return _add_years(issue, 10)
    if age <= 45:
        return _add_years(issue, 20)
    return "长期"


def issuing_authority(region: Region) -> str:
    county = region.county
    city = region.city or (region.province if region.code[:2] in _MUNICIPALITIES else "")
    if county.endswith("区") and city:
        short = county[:-1] if len(county) > 2 else county
        return f"{city}公安局{short}分局"
    return f"{county}公安局"


@dataclass
class Identity:
    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date
    id_number: str
    address: str
    region: Region
    phone: str
    issue_date: dt.date
    valid_until: object  # dt.date or "长期"
    issuing_authority: str
    extra: dict = field(default_factory=dict)

    @property
    def valid_from(self) -> dt.date:
        return self.issue_date

    def valid_until_str(self) -> str:
        return self.valid_until if isinstance(self.valid_until, str) else self.valid_until.isoformat()

    def record(self) -> dict:
        """The policy-record shape of a person (CONTRACT policyholder)."""
        return {"name": self.name, "id_number": self.id_number,
                "birth_date": self.birth_date.isoformat(), "sex": self.sex,
                "phone": self.phone, "address": self.address}

    def to_dict(self) -> dict:
        d = asdict(self)
        d["birth_date"] = self.birth_date.isoformat()
        d["issue_date"] = self.issue_date.isoformat()
        d["valid_until"] = self.valid_until_str()
        d["region"] = asdict(self.region)
        return d


def make_identity(rng: random.Random, *, name: str | None = None, sex: str | None = None,
                  birth_date: dt.date | str | None = None, age: tuple[int, int] = (20, 70),
                  region_code: str | None = None, ethnicity: str | None = None,
                  address: str | None = None, address_lines: int | None = None,
                  issue_date: dt.date | str | None = None, expired: bool = False,
                  ref_date: dt.date = REF_DATE) -> Identity:
    """A random person; any attribute can be fixed by the caller.

    ``expired=True`` gives an ID card whose validity ended before ``ref_date``.
    """
    sex = sex or rng.choice(("男", "女"))
    if isinstance(birth_date, str):
        birth_date = dt.date.fromisoformat(birth_date)
    if birth_date is None:
        lo = ref_date.toordinal() - int(age[1] * 365.25)
        hi = ref_date.toordinal() - int(age[0] * 365.25)
        birth_date = dt.date.fromordinal(rng.randint(lo, hi))
    region = pick_region(rng, birth_date.year, region_code)
    name = name or make_name(rng, sex)
    eth = ethnicity or pick_ethnicity(rng, region.code[:2])
    number = make_id_number(rng, region.code, birth_date, sex)
    addr = address or make_address(rng, region, address_lines)
    if isinstance(issue_date, str):
        issue_date = dt.date.fromisoformat(issue_date)
    if issue_date is None:
        first = max(birth_date.toordinal() + (5 * 366 if ref_date.toordinal() - birth_date.toordinal() > 7 * 366 else 30),
                    dt.date(2004, 1, 1).toordinal())
        first = min(first, ref_date.toordinal() - 30)
        for _ in range(200):
            cand = dt.date.fromordinal(rng.randint(first, ref_date.toordinal() - 30))
            until = id_validity(birth_date, cand)
            ok_valid = until == "长期" or until > ref_date
            if expired:
                if until != "长期" and until < ref_date - dt.timedelta(days=20):
                    issue_date = cand
                    break
            elif ok_valid:
                issue_date = cand
                break
        if issue_date is None:
            issue_date = dt.date.fromordinal(rng.randint(first, max(first, ref_date.toordinal() - 30)))
    until = id_validity(birth_date, issue_date)
    return Identity(name, sex, eth, birth_date, number, addr, region, make_phone(rng),
                    issue_date, until, issuing_authority(region))


# ---------------------------------------------------------------- bank cards

# bank name → list of (BIN, length, type).  Real issuer prefixes of major Chinese banks.
BANKS: dict[str, dict] = {
    "中国工商银行": {"en": "ICBC", "color": (200, 20, 30), "bins": [
        ("622202", 19, "debit"), ("621226", 19, "debit"), ("622208", 19, "debit"),
        ("427020", 16, "credit"), ("427018", 16, "credit")]},
    "中国建设银行": {"en": "CHINA CONSTRUCTION BANK", "color": (20, 60, 150), "bins": [
        ("621700", 19, "debit"), ("436742", 19, "debit"), ("622700", 19, "debit"),
        ("436728", 16, "credit")]},
    "中国农业银行": {"en": "AGRICULTURAL BANK OF CHINA", "color": (0, 130, 110), "bins": [
        ("622848", 19, "debit"), ("622845", 19, "debit"), ("622836", 16, "credit")]},
    "中国银行": {"en": "BANK OF CHINA", "color": (175, 25, 40), "bins": [
        ("621661", 19, "debit"), ("456351", 19, "debit"), ("621785", 19, "debit")]},
    "交通银行": {"en": "BANK OF COMMUNICATIONS", "color": (20, 50, 120), "bins": [
        ("622262", 19, "debit"), ("622260", 19, "debit"), ("458123", 16, "credit")]},
    "招商银行": {"en": "CHINA MERCHANTS BANK", "color": (190, 30, 40), "bins": [
        ("622588", 16, "debit"), ("621483", 16, "debit"), ("622580", 16, "debit"),
        ("622575", 16, "credit"), ("622576", 16, "credit")]},
    "中国邮政储蓄银行": {"en": "POSTAL SAVINGS BANK OF CHINA", "color": (0, 110, 60), "bins": [
        ("621799", 19, "debit"), ("622188", 19, "debit"), ("621098", 19, "debit")]},
    "兴业银行": {"en": "INDUSTRIAL BANK", "color": (0, 60, 140), "bins": [
        ("622909", 18, "debit")]},
}


def bank_by_name(name: str) -> dict:
    return BANKS[name]


def luhn_complete(body: str) -> str:
    return body + luhn.calc_check_digit(body)


@dataclass
class BankCard:
    number: str
    bank_name: str
    card_type: str  # debit | credit
    bin: str

    def to_dict(self) -> dict:
        return asdict(self)


def make_bank_card(rng: random.Random, bank_name: str | None = None, card_type: str | None = None,
                   number: str | None = None) -> BankCard:
    """A Luhn-valid card from a real BIN.  A given ``number`` is kept as is."""
    if number:
        for bname, info in BANKS.items():
            for b, _ln, t in info["bins"]:
                if number.startswith(b):
                    return BankCard(number, bank_name or bname, card_type or t, b)
        return BankCard(number, bank_name or "中国工商银行", card_type or "debit", number[:6])
    names = [bank_name] if bank_name else list(BANKS)
    bname = rng.choice(names)
    bins = [x for x in BANKS[bname]["bins"] if card_type is None or x[2] == card_type]
    if not bins:
        bins = BANKS[bname]["bins"]
    b, length, t = rng.choice(bins)
    body = b + "".join(str(rng.randint(0, 9)) for _ in range(length - len(b) - 1))
    num = luhn_complete(body)
    assert luhn.is_valid(num)
    return BankCard(num, bname, t, b)


# ---------------------------------------------------------------- employers, income

_BRAND = "华信 恒通 中联 博远 瑞丰 鼎盛 天成 宏达 嘉禾 新元 盛世 汇通 金桥 远航 启明 同创 蓝海 卓越 明德 正泰".split()
_INDUSTRY = "科技 信息技术 贸易 建筑工程 医药 电子 物流 文化传媒 机械制造 食品 教育咨询 环保科技 网络科技 商贸 实业".split()
_SUFFIX = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司")
_POSITIONS = ("软件工程师 销售经理 会计 行政主管 项目经理 人力资源专员 财务经理 技术总监 "
              "部门经理 设计师 市场专员 客户经理 高级工程师 运营主管 副总经理 采购专员 质检员 司机").split()
_DEPTS = "技术部 销售部 财务部 行政部 人力资源部 市场部 运营部 研发中心 采购部 质量部".split()


def make_employer(rng: random.Random, region: Region | None = None) -> str:
    city = ""
    if region is not None:
        city = (region.city or region.province).rstrip("市") if rng.random() < 0.7 else ""
        if city.endswith(("自治州", "地区", "盟")):
            city = ""
    return f"{city}{rng.choice(_BRAND)}{rng.choice(_INDUSTRY)}{rng.choice(_SUFFIX)}"


def make_position(rng: random.Random) -> tuple[str, str]:
    return rng.choice(_DEPTS), rng.choice(_POSITIONS)


def make_income(rng: random.Random, monthly: str | float | None = None) -> tuple[str, str]:
    """(monthly, annual) decimal strings; annual is 12×monthly, sometimes with a bonus."""
    if monthly is None:
        m = rng.choice((rng.randint(30, 120) * 100, rng.randint(12, 60) * 500, rng.randint(40, 250) * 100))
    else:
        m = float(monthly)
    a = m * 12 + (rng.choice((0, 0, 1, 2, 3)) * m if rng.random() < 0.4 else 0)
    return money_str(m), money_str(a)


def money_str(v: float | str) -> str:
    return f"{float(v):.2f}"


_DIG = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")


def _four(n: int) -> str:
    s = ""
    zero = False
    for i in range(3, -1, -1):
        d = n // 10 ** i % 10
        if d == 0:
            zero = bool(s)
        else:
            if zero:
                s += "零"
                zero = False
            s += _DIG[d] + _UNITS[i]
    return s


def money_upper(amount: float | str) -> str:
    """人民币大写: 12500.00 → 壹万贰仟伍佰元整."""
    cents = round(float(amount) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    parts = []
    groups = [(yuan // 10 ** 8, "亿"), (yuan // 10 ** 4 % 10 ** 4, "万"), (yuan % 10 ** 4, "")]
    s = ""
    started = False
    for val, unit in groups:
        if val == 0:
            if started:
                s += "零"
            continue
        if started and val < 1000:
            s += "零"
        s += _four(val) + unit
        started = True
    s = s.rstrip("零")
    while "零零" in s:
        s = s.replace("零零", "零")
    if not s:
        s = "零"
    parts.append(s + "元")
    if jiao == 0 and fen == 0:
        parts.append("整")
    else:
        if jiao:
            parts.append(_DIG[jiao] + "角")
        elif yuan:
            parts.append("零")
        if fen:
            parts.append(_DIG[fen] + "分")
    return "".join(parts)


def cn_date(d: dt.date, pad: bool = False) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日" if pad else f"{d.year}年{d.month}月{d.day}日"


_CN_NUM = "〇一二三四五六七八九"


def cn_date_upper(d: dt.date) -> str:
    """二〇二四年六月十八日 (the style of court documents)."""
    def small(n: int) -> str:
        if n < 10:
            return _CN_NUM[n]
        if n == 10:
            return "十"
        if n < 20:
            return "十" + _CN_NUM[n % 10]
        return _CN_NUM[n // 10] + "十" + (_CN_NUM[n % 10] if n % 10 else "")
    return "".join(_CN_NUM[int(c)] for c in str(d.year)) + "年" + small(d.month) + "月" + small(d.day) + "日"


# ---------------------------------------------------------------- courts, numbers

def make_court(rng: random.Random, region: Region | None = None) -> tuple[str, Region]:
    region = region or pick_region(rng)
    if region.code[:2] in _MUNICIPALITIES:
        name = f"{region.province}{region.county}人民法院"
    else:
        name = f"{region.province}{region.city}{region.county}人民法院"
    return name, region


def make_case_number(rng: random.Random, region: Region, year: int, kind: str = "民初") -> str:
    return f"（{year}）{PROVINCE_ABBR[region.code[:2]]}{region.code[2:]}{kind}{rng.randint(100, 29999)}号"


def make_policy_number(rng: random.Random, year: int | None = None) -> str:
    year = year or rng.randint(2010, 2025)
    return f"P{year}{rng.randint(1, 999999):06d}"


def make_certificate_number(rng: random.Random, region: Region, year: int, divorce: bool = False) -> str:
    return f"{'L' if divorce else 'J'}{region.code}-{year}-{rng.randint(1, 20000):06d}"


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
