"""Plausible people, places, numbers and organisations — all invented, all self-consistent.

Nothing here is taken from a real person. Region codes and names are real administrative
divisions so that an ID number's first six digits agree with the printed address; the
personal parts (names, dates, sequence numbers) are random.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

# --------------------------------------------------------------------------- regions

# (code, province, city, district); for the four municipalities city == "".
REGIONS: list[tuple[str, str, str, str]] = [
    ("110101", "北京市", "", "东城区"), ("110102", "北京市", "", "西城区"),
    ("110105", "北京市", "", "朝阳区"), ("110106", "北京市", "", "丰台区"),
    ("110108", "北京市", "", "海淀区"), ("120101", "天津市", "", "和平区"),
    ("120104", "天津市", "", "南开区"), ("310101", "上海市", "", "黄浦区"),
    ("310104", "上海市", "", "徐汇区"), ("310105", "上海市", "", "长宁区"),
    ("310106", "上海市", "", "静安区"), ("310107", "上海市", "", "普陀区"),
    ("310110", "上海市", "", "杨浦区"), ("310112", "上海市", "", "闵行区"),
    ("310115", "上海市", "", "浦东新区"), ("500103", "重庆市", "", "渝中区"),
    ("500106", "重庆市", "", "沙坪坝区"), ("500112", "重庆市", "", "渝北区"),
    ("130102", "河北省", "石家庄市", "长安区"), ("130104", "河北省", "石家庄市", "桥西区"),
    ("140105", "山西省", "太原市", "小店区"), ("150102", "内蒙古自治区", "呼和浩特市", "新城区"),
    ("210102", "辽宁省", "沈阳市", "和平区"), ("210202", "辽宁省", "大连市", "中山区"),
    ("220102", "吉林省", "长春市", "南关区"), ("230102", "黑龙江省", "哈尔滨市", "道里区"),
    ("320102", "江苏省", "南京市", "玄武区"), ("320104", "江苏省", "南京市", "秦淮区"),
    ("320106", "江苏省", "南京市", "鼓楼区"), ("320211", "江苏省", "无锡市", "滨湖区"),
    ("320506", "江苏省", "苏州市", "吴中区"), ("320508", "江苏省", "苏州市", "姑苏区"),
    ("320583", "江苏省", "苏州市", "昆山市"), ("320581", "江苏省", "苏州市", "常熟市"),
    ("330102", "浙江省", "杭州市", "上城区"), ("330105", "浙江省", "杭州市", "拱墅区"),
    ("330106", "浙江省", "杭州市", "西湖区"), ("330108", "浙江省", "杭州市", "滨江区"),
    ("330109", "浙江省", "杭州市", "萧山区"), ("330110", "浙江省", "杭州市", "余杭区"),
    ("330203", "浙江省", "宁波市", "海曙区"), ("330212", "浙江省", "宁波市", "鄞州区"),
    ("330302", "浙江省", "温州市", "鹿城区"), ("330402", "浙江省", "嘉兴市", "南湖区"),
    ("330481", "浙江省", "嘉兴市", "海宁市"), ("330602", "浙江省", "绍兴市", "越城区"),
    ("330782", "浙江省", "金华市", "义乌市"), ("340104", "安徽省", "合肥市", "蜀山区"),
    ("340102", "安徽省", "合肥市", "瑶海区"), ("350102", "福建省", "福州市", "鼓楼区"),
    ("350203", "福建省", "厦门市", "思明区"), ("350206", "福建省", "厦门市", "湖里区"),
    ("360102", "江西省", "南昌市", "东湖区"), ("370102", "山东省", "济南市", "历下区"),
    ("370202", "山东省", "青岛市", "市南区"), ("370212", "山东省", "青岛市", "崂山区"),
    ("410105", "河南省", "郑州市", "金水区"), ("410102", "河南省", "郑州市", "中原区"),
    ("420102", "湖北省", "武汉市", "江岸区"), ("420106", "湖北省", "武汉市", "武昌区"),
    ("420111", "湖北省", "武汉市", "洪山区"), ("430102", "湖南省", "长沙市", "芙蓉区"),
    ("430104", "湖南省", "长沙市", "岳麓区"), ("440103", "广东省", "广州市", "荔湾区"),
    ("440104", "广东省", "广州市", "越秀区"), ("440106", "广东省", "广州市", "天河区"),
    ("440303", "广东省", "深圳市", "罗湖区"), ("440304", "广东省", "深圳市", "福田区"),
    ("440305", "广东省", "深圳市", "南山区"), ("440604", "广东省", "佛山市", "禅城区"),
    ("450103", "广西壮族自治区", "南宁市", "青秀区"), ("460106", "海南省", "海口市", "龙华区"),
    ("510104", "四川省", "成都市", "锦江区"), ("510105", "四川省", "成都市", "青羊区"),
    ("510107", "四川省", "成都市", "武侯区"), ("510108", "四川省", "成都市", "成华区"),
    ("520102", "贵州省", "贵阳市", "南明区"), ("530102", "云南省", "昆明市", "五华区"),
    ("540102", "西藏自治区", "拉萨市", "城关区"), ("610103", "陕西省", "西安市", "碑林区"),
    ("610113", "陕西省", "西安市", "雁塔区"), ("620102", "甘肃省", "兰州市", "城关区"),
    ("630102", "青海省", "西宁市", "城东区"), ("640104", "宁夏回族自治区", "银川市", "兴庆区"),
    ("650102", "新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
]
# First year each code appears in the national code table as python-stdnum knows it. Real
# numbers carry the code of the first registration (1985 onwards), so older people hold codes
# "younger" than themselves; stdnum.cn.ric rejects those. Most people here get a code that
# already existed in their birth year; some (the realistic case) do not.
SINCE = {"310112": 1981, "310115": 1992, "500103": 1997, "500106": 1997, "500112": 1997, "140105": 1997,
         "320506": 2000, "320508": 2012, "320583": 1989, "320581": 1989, "330108": 1996, "330109": 2001,
         "330110": 2001, "330212": 2002, "330481": 1989, "330782": 1989, "350206": 1987, "370212": 1988,
         "440106": 1985, "440604": 2002, "460106": 2002, "510104": 1990, "510105": 1990, "510107": 1990,
         "510108": 1990, "640104": 2002}


def code_since(code: str) -> int:
    if code[:2] in ("11", "12", "31") and code not in SINCE:
        return 0
    return SINCE.get(code, 1983)


# Zhejiang, Jiangsu and Shanghai are over-represented on purpose (the insurer's home market).
REGION_WEIGHTS = [3 if r[1] in ("浙江省", "江苏省", "上海市") else 1 for r in REGIONS]

PROVINCE_ABBR = {
    "北京市": "京", "天津市": "津", "上海市": "沪", "重庆市": "渝", "河北省": "冀", "山西省": "晋",
    "内蒙古自治区": "内", "辽宁省": "辽", "吉林省": "吉", "黑龙江省": "黑", "江苏省": "苏",
    "浙江省": "浙", "安徽省": "皖", "福建省": "闽", "江西省": "赣", "山东省": "鲁", "河南省": "豫",
    "湖北省": "鄂", "湖南省": "湘", "广东省": "粤", "广西壮族自治区": "桂", "海南省": "琼",
    "四川省": "川", "贵州省": "黔", "云南省": "云", "西藏自治区": "藏", "陕西省": "陕",
    "甘肃省": "甘", "青海省": "青", "宁夏回族自治区": "宁", "新疆维吾尔自治区": "新",
}


@dataclass(frozen=True)
class Region:
    code: str
    province: str
    city: str
    district: str

    @property
    def municipality(self) -> bool:
        return self.city == ""

    @property
    def prefix(self) -> str:
        """The address prefix as printed on an ID card."""
        if self.municipality:
            return self.province + self.district
        return self.province + self.city + self.district

    @property
    def city_name(self) -> str:
        return self.province if self.municipality else self.city

    def police(self) -> str:
        """Issuing authority on the ID back, e.g. 杭州市公安局西湖分局 / 昆山市公安局."""
        if self.district.endswith("市"):
            return self.district + "公安局"
        short = self.district[:-2] if self.district.endswith("新区") else self.district[:-1]
        return f"{self.city_name}公安局{short}分局"

    def basic_court(self) -> str:
        if self.municipality or self.district.endswith("市"):
            return f"{self.province}{self.district}人民法院"
        return f"{self.province}{self.city}{self.district}人民法院"

    def intermediate_court(self) -> str:
        if self.municipality:
            return f"{self.province}第{'一二'[int(self.code[5]) % 2]}中级人民法院"
        return f"{self.province}{self.city}中级人民法院"

    def civil_affairs(self) -> str:
        return f"{self.city_name}{self.district}民政局" if not self.district.endswith("市") else f"{self.district}民政局"


def pick_region(rng: random.Random) -> Region:
    return Region(*rng.choices(REGIONS, weights=REGION_WEIGHTS)[0])


# --------------------------------------------------------------------------- names

SURNAMES = {
    "王": "WANG", "李": "LI", "张": "ZHANG", "刘": "LIU", "陈": "CHEN", "杨": "YANG", "黄": "HUANG",
    "赵": "ZHAO", "吴": "WU", "周": "ZHOU", "徐": "XU", "孙": "SUN", "马": "MA", "朱": "ZHU",
    "胡": "HU", "郭": "GUO", "何": "HE", "高": "GAO", "林": "LIN", "罗": "LUO", "郑": "ZHENG",
    "梁": "LIANG", "谢": "XIE", "宋": "SONG", "唐": "TANG", "许": "XU", "韩": "HAN", "冯": "FENG",
    "邓": "DENG", "曹": "CAO", "彭": "PENG", "曾": "ZENG", "肖": "XIAO", "田": "TIAN", "董": "DONG",
    "袁": "YUAN", "潘": "PAN", "于": "YU", "蒋": "JIANG", "蔡": "CAI", "余": "YU", "杜": "DU",
    "叶": "YE", "程": "CHENG", "苏": "SU", "魏": "WEI", "吕": "LV", "丁": "DING", "任": "REN",
    "沈": "SHEN", "姚": "YAO", "卢": "LU", "姜": "JIANG", "崔": "CUI", "钟": "ZHONG", "谭": "TAN",
    "陆": "LU", "汪": "WANG", "范": "FAN", "金": "JIN", "石": "SHI", "廖": "LIAO", "贾": "JIA",
    "夏": "XIA", "韦": "WEI", "方": "FANG", "白": "BAI", "邹": "ZOU", "孟": "MENG", "熊": "XIONG",
    "秦": "QIN", "邱": "QIU", "江": "JIANG", "尹": "YIN", "薛": "XUE", "段": "DUAN", "雷": "LEI",
    "侯": "HOU", "龙": "LONG", "史": "SHI", "陶": "TAO", "黎": "LI", "贺": "HE", "顾": "GU",
    "毛": "MAO", "郝": "HAO", "龚": "GONG", "邵": "SHAO", "万": "WAN", "钱": "QIAN", "严": "YAN",
    "覃": "QIN", "武": "WU", "戴": "DAI", "莫": "MO", "孔": "KONG", "向": "XIANG", "汤": "TANG",
    "闫": "YAN", "柳": "LIU", "章": "ZHANG", "俞": "YU", "倪": "NI", "殷": "YIN", "葛": "GE",
    "骆": "LUO", "楼": "LOU", "应": "YING", "童": "TONG", "屠": "TU",
}
COMPOUND_SURNAMES = {
    "欧阳": "OUYANG", "司马": "SIMA", "上官": "SHANGGUAN", "诸葛": "ZHUGE", "东方": "DONGFANG",
    "皇甫": "HUANGFU", "尉迟": "YUCHI", "公孙": "GONGSUN", "慕容": "MURONG", "令狐": "LINGHU",
    "司徒": "SITU", "夏侯": "XIAHOU", "端木": "DUANMU", "宇文": "YUWEN", "长孙": "ZHANGSUN",
}
MALE_GIVEN = {
    "伟": "WEI", "强": "QIANG", "磊": "LEI", "军": "JUN", "勇": "YONG", "杰": "JIE", "涛": "TAO",
    "明": "MING", "超": "CHAO", "刚": "GANG", "平": "PING", "辉": "HUI", "鹏": "PENG", "华": "HUA",
    "飞": "FEI", "鑫": "XIN", "波": "BO", "斌": "BIN", "宇": "YU", "浩": "HAO", "凯": "KAI",
    "健": "JIAN", "俊": "JUN", "帆": "FAN", "帅": "SHUAI", "旭": "XU", "宁": "NING", "龙": "LONG",
    "林": "LIN", "阳": "YANG", "峰": "FENG", "建": "JIAN", "国": "GUO", "志": "ZHI", "文": "WEN",
    "海": "HAI", "东": "DONG", "亮": "LIANG", "成": "CHENG", "晨": "CHEN", "博": "BO", "泽": "ZE",
    "子": "ZI", "轩": "XUAN", "然": "RAN", "天": "TIAN", "毅": "YI", "振": "ZHEN", "家": "JIA",
    "思": "SI", "远": "YUAN", "卫": "WEI", "庆": "QING", "德": "DE", "新": "XIN", "永": "YONG",
    "春": "CHUN", "立": "LI", "荣": "RONG", "昊": "HAO", "明": "MING", "晓": "XIAO", "一": "YI",
    "嘉": "JIA", "铭": "MING", "睿": "RUI", "彬": "BIN", "坤": "KUN", "锋": "FENG", "晖": "HUI",
}
FEMALE_GIVEN = {
    "芳": "FANG", "娜": "NA", "敏": "MIN", "静": "JING", "丽": "LI", "艳": "YAN", "娟": "JUAN",
    "霞": "XIA", "秀": "XIU", "英": "YING", "玲": "LING", "婷": "TING", "雪": "XUE", "慧": "HUI",
    "莉": "LI", "倩": "QIAN", "颖": "YING", "琳": "LIN", "晶": "JING", "燕": "YAN", "佳": "JIA",
    "欣": "XIN", "怡": "YI", "梦": "MENG", "雨": "YU", "萍": "PING", "红": "HONG", "梅": "MEI",
    "兰": "LAN", "凤": "FENG", "丹": "DAN", "璐": "LU", "瑶": "YAO", "悦": "YUE", "晓": "XIAO",
    "思": "SI", "诗": "SHI", "雅": "YA", "琪": "QI", "洁": "JIE", "云": "YUN", "薇": "WEI",
    "蕾": "LEI", "露": "LU", "淑": "SHU", "珍": "ZHEN", "桂": "GUI", "月": "YUE", "彤": "TONG",
    "妍": "YAN", "馨": "XIN", "可": "KE", "文": "WEN", "嘉": "JIA", "春": "CHUN", "小": "XIAO",
    "亚": "YA", "海": "HAI", "秋": "QIU", "媛": "YUAN", "蓉": "RONG", "青": "QING",
}

ETHNICITIES = ["汉"] * 44 + ["回", "满", "蒙古", "壮", "维吾尔", "苗", "彝", "土家", "藏",
                             "朝鲜", "侗", "瑶", "白", "哈尼", "傣", "黎", "畲", "土"]


@dataclass
class Name:
    text: str
    pinyin: str  # as embossed on a card: "ZHANG XIAOMING"


def pick_name(rng: random.Random, sex: str) -> Name:
    pool = MALE_GIVEN if sex == "男" else FEMALE_GIVEN
    if rng.random() < 0.05:
        sur, sur_py = rng.choice(sorted(COMPOUND_SURNAMES.items()))
    else:
        keys = sorted(SURNAMES)
        # the first surnames in the table are the most frequent ones
        weights = [6 if k in "王李张刘陈杨黄赵吴周" else 2 if k in "徐孙马朱胡郭何高林罗郑梁谢宋唐" else 1
                   for k in keys]
        sur = rng.choices(keys, weights=weights)[0]
        sur_py = SURNAMES[sur]
    n_given = 1 if rng.random() < 0.28 else 2
    if len(sur) == 2 and rng.random() < 0.4:
        n_given = 1
    chars = sorted(pool)
    given = "".join(rng.choice(chars) for _ in range(n_given))
    if n_given == 2 and given[0] == given[1] and rng.random() < 0.5:
        given = given[0] + rng.choice(chars)
    py = "".join(pool[c] for c in given)
    return Name(sur + given, f"{sur_py} {py}")


# --------------------------------------------------------------------------- checksums

_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _W))
    return "10X98765432"[total % 11]


def id_valid(number: str) -> bool:
    return (len(number) == 18 and number[:17].isdigit()
            and number[17] in "0123456789X" and id_check_char(number[:17]) == number[17])


def luhn_check_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # these digits are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def card_number(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    return body + luhn_check_digit(body)


# --------------------------------------------------------------------------- people

ROADS = ["人民路", "解放路", "中山路", "建设路", "延安路", "和平路", "新华路", "长江路",
         "学院路", "朝阳路", "胜利路", "青年路", "东风路", "光明路", "幸福路", "滨江路", "江南大道",
         "科技路", "黄河路", "团结路", "振兴路", "花园路", "工农路", "府前街", "西大街", "东大街",
         "体育场路", "环城北路", "民主路", "健康路", "广场路", "石桥路", "育才路", "沿江路", "望江路",
         "湖滨路", "文化路", "公园路", "新村路", "北京路", "南京路", "迎宾大道", "金融街"]
LOCAL_ROADS = {"杭州市": ["文三路", "教工路", "天目山路", "凤起路", "秋涛路", "莫干山路", "丰潭路", "古墩路"],
               "上海市": ["淮海中路", "四平路", "漕溪北路", "张杨路", "虹桥路"],
               "南京市": ["中山东路", "汉中路", "龙蟠路"], "苏州市": ["干将路", "人民路", "十全街"]}
ESTATE_HEADS = ["阳光", "金色", "翠苑", "锦绣", "东方", "华府", "紫荆", "绿洲", "世纪", "香樟", "桂花",
                "丽景", "碧水", "和园", "嘉苑", "春晓", "枫林", "书香", "明月", "云栖", "青枫", "滨河"]
ESTATE_TAILS = ["小区", "花园", "新村", "家园", "公寓", "苑", "名邸", "嘉园", "雅苑", "府"]
TOWNS = ["新塘", "龙泉", "石门", "白马", "青山", "河口", "三里", "高桥", "长安", "双溪", "清水",
         "瓶窑", "良渚", "五常", "乔司", "临浦", "义桥", "安昌", "塘栖"]
VILLAGES = ["前进", "红星", "团结", "新丰", "永安", "大路", "塘头", "杨家", "李家", "下洋", "东方",
            "光明", "胜利", "金山", "后山", "溪口"]


def pick_address(rng: random.Random, region: Region) -> str:
    style = rng.random()
    pre = region.prefix
    roads = ROADS + LOCAL_ROADS.get(region.city_name, []) * 3
    if style < 0.5:
        road = rng.choice(roads)
        estate = rng.choice(ESTATE_HEADS) + rng.choice(ESTATE_TAILS)
        b, u, r = rng.randint(1, 32), rng.randint(1, 6), rng.randint(1, 28) * 100 + rng.randint(1, 4)
        if rng.random() < 0.5:
            return f"{pre}{road}{rng.randint(1, 999)}号{estate}{b}幢{u}单元{r}室"
        return f"{pre}{estate}{b}幢{r}室"
    if style < 0.75:
        road = rng.choice(roads)
        if rng.random() < 0.5:
            return f"{pre}{road}{rng.randint(1, 899)}号"
        return f"{pre}{road}{rng.randint(1, 399)}弄{rng.randint(1, 60)}号{rng.randint(101, 2204)}室"
    town, village = rng.choice(TOWNS), rng.choice(VILLAGES)
    if rng.random() < 0.5:
        return f"{pre}{town}镇{village}村{rng.randint(1, 15)}组{rng.randint(1, 99)}号"
    return f"{pre}{town}街道{village}社区{rng.choice(roads)}{rng.randint(1, 300)}号"


@dataclass
class Person:
    name: Name
    sex: str
    ethnicity: str
    birth: dt.date
    region: Region
    address: str
    id_number: str
    extra: dict = field(default_factory=dict)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def make_id_number(rng: random.Random, region: Region, birth: dt.date, sex: str) -> str:
    seq = rng.randrange(0, 100)
    last = rng.choice([1, 3, 5, 7, 9]) if sex == "男" else rng.choice([0, 2, 4, 6, 8])
    first17 = f"{region.code}{birth:%Y%m%d}{seq:02d}{last}"
    return first17 + id_check_char(first17)


def pick_person(rng: random.Random, *, sex: str | None = None, born: tuple[int, int] = (1956, 2003),
                region: Region | None = None) -> Person:
    sex = sex or rng.choice(["男", "女"])
    birth = random_date(rng, dt.date(born[0], 1, 1), dt.date(born[1], 12, 31))
    if region is None:
        region = pick_region(rng)
        if birth.year < code_since(region.code) and rng.random() < 0.75:
            fits = [(r, w) for r, w in zip(REGIONS, REGION_WEIGHTS) if code_since(r[0]) <= birth.year]
            region = Region(*rng.choices([r for r, _ in fits], weights=[w for _, w in fits])[0])
    elif birth.year < code_since(region.code) and rng.random() < 0.75:
        lo = max(born[0], code_since(region.code))
        if lo <= born[1]:
            birth = random_date(rng, dt.date(lo, 1, 1), dt.date(born[1], 12, 31))
    return Person(
        name=pick_name(rng, sex), sex=sex, ethnicity=rng.choice(ETHNICITIES), birth=birth,
        region=region, address=pick_address(rng, region),
        id_number=make_id_number(rng, region, birth, sex),
    )


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def id_validity(rng: random.Random, birth: dt.date, today: dt.date) -> tuple[dt.date, dt.date | None]:
    """A (valid_from, valid_until) pair for a card that is still valid on `today` (None = 长期)."""
    for _ in range(50):
        start = random_date(rng, max(add_years(birth, 16), dt.date(2005, 1, 1)), today)
        age = (start - birth).days // 365
        years = 5 if age < 16 else 10 if age < 26 else 20 if age < 46 else None
        if years is None:
            return start, None
        until = add_years(start, years)
        if until > today:
            return start, until
    return start, add_years(start, 20)


# --------------------------------------------------------------------------- organisations

BRANDS = ["恒远", "华信", "鼎盛", "宏达", "永昌", "金桥", "博远", "天诚", "瑞丰", "中联", "汇通", "新元",
          "安泰", "卓越", "聚力", "明德", "海纳", "润泽", "嘉禾", "星辰", "盛世", "远航", "同创",
          "立信", "德润", "信达", "银河", "正和", "万象", "联创", "东升", "致远", "启明", "众合", "凯瑞"]
INDUSTRIES = ["科技", "信息技术", "建设工程", "贸易", "物流", "电子", "机械制造", "食品", "服饰",
              "房地产开发", "餐饮管理", "医药", "文化传媒", "教育咨询", "环保科技", "汽车销售服务",
              "网络科技", "新材料", "电气", "纺织", "包装", "物业管理"]
POSITIONS = ["经理", "部门经理", "销售经理", "会计", "出纳", "工程师", "高级工程师", "技术员", "行政主管",
             "人事专员", "销售代表", "项目经理", "总经理助理", "财务总监", "主管", "职员", "司机",
             "设计师", "软件工程师", "客服专员", "仓库管理员", "采购专员", "质检员", "区域经理",
             "财务经理", "行政助理", "运营总监", "副总经理", "车间主任", "班组长"]


def pick_employer(rng: random.Random, region: Region) -> str:
    r = rng.random()
    city = region.city_name[:-1] if region.city_name.endswith("市") else region.city_name
    prov = region.province.replace("省", "").replace("市", "").replace("壮族自治区", "").replace(
        "回族自治区", "").replace("维吾尔自治区", "").replace("自治区", "")
    brand = rng.choice(BRANDS)
    ind = rng.choice(INDUSTRIES)
    if r < 0.55:
        return f"{city}{brand}{ind}有限公司"
    if r < 0.7:
        return f"{prov}{brand}{ind}股份有限公司"
    if r < 0.8:
        return f"{prov}{brand}集团有限公司"
    if r < 0.88:
        return f"{city}市第{rng.choice('一二三四五六')}人民医院"
    if r < 0.94:
        return f"{city}{brand}{ind}有限公司{region.district.rstrip('区市')}分公司"
    return f"{region.city_name}{region.district}{rng.choice(['实验小学', '第二中学', '人民政府', '市场监督管理局'])}"


BANKS = {
    # name: (english, [(bin, length, type, product)], colours)
    "中国工商银行": ("INDUSTRIAL AND COMMERCIAL BANK OF CHINA",
                [("622202", 19, "debit", "牡丹灵通卡"), ("621226", 19, "debit", "借记卡"),
                 ("622208", 19, "debit", "储蓄卡"), ("622230", 16, "credit", "牡丹信用卡")],
                [(196, 20, 36), (170, 10, 25)]),
    "中国建设银行": ("CHINA CONSTRUCTION BANK",
                [("621700", 19, "debit", "龙卡储蓄卡"), ("622700", 19, "debit", "龙卡借记卡"),
                 ("436742", 19, "debit", "龙卡储蓄卡"), ("622166", 16, "credit", "龙卡信用卡")],
                [(0, 62, 138), (16, 84, 168)]),
    "中国农业银行": ("AGRICULTURAL BANK OF CHINA",
                [("622848", 19, "debit", "金穗借记卡"), ("622845", 19, "debit", "借记卡"),
                 ("622836", 16, "credit", "金穗信用卡")],
                [(0, 121, 107), (8, 98, 82)]),
    "中国银行": ("BANK OF CHINA",
              [("621661", 19, "debit", "长城电子借记卡"), ("601382", 19, "debit", "借记卡"),
               ("625907", 16, "credit", "长城信用卡")],
              [(178, 24, 32), (140, 16, 28)]),
    "招商银行": ("CHINA MERCHANTS BANK",
              [("622588", 16, "debit", "一卡通 借记卡"), ("621483", 16, "debit", "一卡通 储蓄卡"),
               ("622575", 16, "credit", "信用卡"), ("439225", 16, "credit", "VISA 信用卡")],
              [(200, 16, 46), (120, 20, 30)]),
    "交通银行": ("BANK OF COMMUNICATIONS",
              [("622262", 19, "debit", "太平洋借记卡"), ("622260", 19, "debit", "借记卡"),
               ("622258", 16, "credit", "太平洋信用卡")],
              [(18, 60, 130), (30, 40, 100)]),
    "兴业银行": ("INDUSTRIAL BANK CO., LTD.",
              [("622908", 19, "debit", "借记卡"), ("622909", 19, "debit", "自然人生 借记卡")],
              [(0, 58, 140), (20, 90, 170)]),
    "中国邮政储蓄银行": ("POSTAL SAVINGS BANK OF CHINA",
                  [("621799", 19, "debit", "绿卡通 借记卡"), ("622188", 19, "debit", "储蓄卡")],
                  [(0, 120, 64), (10, 95, 50)]),
    "中信银行": ("CHINA CITIC BANK",
              [("621771", 16, "debit", "借记卡"), ("622690", 16, "credit", "信用卡")],
              [(190, 0, 20), (110, 0, 15)]),
    "上海浦东发展银行": ("SHANGHAI PUDONG DEVELOPMENT BANK",
                  [("621792", 16, "debit", "东方借记卡"), ("622516", 16, "debit", "储蓄卡")],
                  [(8, 50, 110), (20, 30, 80)]),
    "中国民生银行": ("CHINA MINSHENG BANK",
                [("622622", 16, "debit", "借记卡"), ("621691", 16, "debit", "储蓄卡"),
                 ("622618", 16, "credit", "信用卡")],
                [(0, 110, 120), (20, 70, 90)]),
    "中国光大银行": ("CHINA EVERBRIGHT BANK",
                [("622660", 19, "debit", "阳光借记卡"), ("622663", 16, "credit", "阳光信用卡")],
                [(100, 30, 120), (70, 20, 90)]),
    "平安银行": ("PING AN BANK",
              [("623058", 19, "debit", "借记卡"), ("622155", 16, "credit", "信用卡")],
              [(235, 95, 20), (200, 70, 10)]),
    "华夏银行": ("HUA XIA BANK", [("622632", 16, "debit", "借记卡")], [(200, 20, 30), (150, 10, 20)]),
    "广发银行": ("CHINA GUANGFA BANK", [("622568", 19, "debit", "借记卡"), ("625809", 16, "credit", "信用卡")],
              [(200, 30, 40), (160, 20, 30)]),
    "杭州银行": ("BANK OF HANGZHOU", [("621578", 19, "debit", "借记卡")], [(0, 90, 160), (0, 60, 120)]),
    "宁波银行": ("BANK OF NINGBO", [("622281", 19, "debit", "借记卡")], [(240, 140, 0), (200, 100, 0)]),
}

COURT_ROLES = ["原告", "被告"]


def policy_number(rng: random.Random, region: Region | None = None, year: int | None = None) -> str:
    year = year or rng.randint(2008, 2023)
    reg = (region.code[:4] + "00") if region else rng.choice(REGIONS)[0][:4] + "00"
    return f"P{year}{reg}{rng.randrange(10**6):06d}"


# --------------------------------------------------------------------------- numerals

_DIG = "零壹贰叁肆伍陆柒捌玖"


def amount_upper(value_fen: int) -> str:
    """1250000 fen (12500.00 yuan) -> 壹万贰仟伍佰元整."""
    yuan, rest = divmod(value_fen, 100)
    jiao, fen = divmod(rest, 10)
    digits = str(yuan)
    out, zero = "", False
    for i, ch in enumerate(digits):
        pos = len(digits) - 1 - i
        d = int(ch)
        if d == 0:
            zero = True
        else:
            if zero and out:
                out += "零"
            zero = False
            out += _DIG[d] + ("", "拾", "佰", "仟")[pos % 4]
        if pos % 4 == 0 and pos > 0:
            section = digits[max(0, i - 3):i + 1]
            if int(section):
                out += ("", "万", "亿")[pos // 4]
    out = (out or "零") + "元"
    if jiao == 0 and fen == 0:
        return out + "整"
    if jiao:
        out += _DIG[jiao] + "角"
    elif fen:
        out += "零"
    if fen:
        out += _DIG[fen] + "分"
    return out


_CN = "〇一二三四五六七八九"


def cn_date(d: dt.date) -> str:
    """2023-05-12 -> 二〇二三年五月十二日 (as a court prints it)."""
    def small(n: int) -> str:
        if n < 10:
            return "〇一二三四五六七八九"[n]
        if n == 10:
            return "十"
        if n < 20:
            return "十" + _CN[n - 10]
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return "".join(_CN[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def money(value_fen: int) -> str:
    return f"{value_fen // 100}.{value_fen % 100:02d}"


def money_commas(value_fen: int) -> str:
    return f"{value_fen // 100:,}.{value_fen % 100:02d}"
