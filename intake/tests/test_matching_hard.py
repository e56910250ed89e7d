"""Address matching on text as residents and 12345 operators write it (issue 14, item 5), against a small registry of
25 communities like the issue author's, built in memory (no database): spatial relations that put the matter
outside a community, names inside shop, hotel or road names, the caller's own address beside the matter's place,
look-alike estates, and numerals and shorthand. A wrong community is worse than none.
"""
import pytest

from intake.matching import CommunityIndex
from registry.addresses import chinese_to_int, normalize, parse

STREETS = [{"id": 1, "name": "万里街道", "short_name": "万里"}, {"id": 2, "name": "真如镇街道", "short_name": "真如"},
           {"id": 3, "name": "长征镇", "short_name": "长征"}]
# name, street, doors (road, unit, from, to), aliases
REGISTRY = [
    ("万里城", 1, [("真北路", "LANE", 2500, None)], []),
    ("嘉禾城", 1, [("真华路", "LANE", 362, None)], []),
    ("秋霞苑", 1, [("真华路", "LANE", 130, None)], ["万里秋霞苑"]),
    ("海棠花园", 1, [("新村路", "LANE", 2334, None)], []),
    ("万福新村", 1, [("万镇路", "LANE", 392, None)], []),
    ("真华二村", 1, [("万镇路", "LANE", 184, None)], ["真华2村"]),
    ("武威四村", 1, [("古浪路", "LANE", 29, None)], []),
    ("真如雅苑", 1, [("真华路", "NUMBER", 31, None)], []),
    ("清涧四村", 2, [("铜川路", "LANE", 618, None)], ["清涧4村"]),
    ("馨和苑", 2, [("真光路", "LANE", 281, None)], []),
    ("芳华城", 2, [("真光路", "LANE", 607, None)], []),
    ("真光坊", 2, [("真光路", "LANE", 75, None)], []),
    ("管弄新村", 2, [("管弄路", "LANE", 50, None)], []),
    ("兰溪小区", 2, [("兰溪路", "LANE", 88, None)], []),
    ("真如芳华公寓", 2, [("清涧路", "LANE", 471, None)], []),
    ("金桂城", 2, [("真北路", "LANE", 2090, None)], []),
    ("铜川新村", 2, [("真光路", "LANE", 1265, 1269)], []),
    ("金沙苑", 3, [("金沙江路", "LANE", 2412, None)], []),
    ("丹巴小区", 3, [("梅川路", "LANE", 20, None)], []),
    ("康乐花园", 3, [("梅川路", "LANE", 350, None)], []),
    ("福泽坊", 3, [("梅川路", "LANE", 132, None)], []),
    ("梅川新村", 3, [("梅川路", "LANE", 242, None)], ["梅川小区"]),
    ("银杏苑", 3, [("梅川路", "LANE", 859, None)], []),
    ("长征公寓", 3, [("金沙江路", "NUMBER", 2290, None)], []),
    ("枣阳二村", 3, [("怒江北路", "LANE", 273, None)], ["枣阳2村"]),
]


@pytest.fixture(scope="module")
def index() -> CommunityIndex:
    communities, addresses, aliases = [], [], []
    for pk, (name, street, doors, names) in enumerate(REGISTRY, start=1):
        communities.append({"id": pk, "name": name, "street_id": street})
        for road, unit, first, last in doors:
            addresses.append({"community_id": pk, "road": road, "unit": unit, "number_from": first, "number_to": last})
        aliases += [{"community_id": pk, "name": alias} for alias in names]
    assert len(communities) == 25
    return CommunityIndex(communities, addresses, aliases, STREETS)


def check(index, text, expected):
    got = index.match(text)
    assert got.community == expected, f"{text!r}: {got.community} {got.evidence}"
    return got


@pytest.mark.parametrize("text", [
    "清涧四村对面的饭店油烟很大", "馨和苑斜对面有人占道洗车", "真光路281弄附近有人乱贴小广告", "铜川路618弄后面的空地被人圈了",
    "秋霞苑隔壁那家饭店把垃圾倒在路边", "金沙苑斜对过的早餐店占道", "嘉禾城旁边的绿化带被毁", "梅川路859弄边上的修车铺占道",
    "丹巴小区外面马路上有人摆摊", "梅川路859弄小区门口外面有人摆摊", "来电人系芳华城居民，反映小区对面的饭店油烟扰民",
    "真华路31号旁边的小吃店油烟直排", "阿拉搿搭真光路281弄对过的饭店油烟老大了", "清涧四村对门的饭店",
    "靠近清涧四村的工地夜间施工", "清涧四村对马路的饭店",
])
def test_a_place_outside_a_community_gives_none(index, text):
    got = check(index, text, None)
    assert got.evidence["outside"]


@pytest.mark.parametrize(("text", "expected"), [
    ("清涧四村7号楼602隔壁在群租", "清涧四村"),          # 隔壁 of a flat: the next flat, inside
    ("馨和苑3号楼后面的绿地被人种了菜", "馨和苑"),
    ("铜川路618弄12号隔壁住了十几个人", "清涧四村"),      # 12号 after a 弄 is a building inside the lane
    ("真光路607弄8号601室隔壁在装修没登记", "芳华城"),
    ("我住芳华城，隔壁邻居装修把承重墙敲了", "芳华城"),
    ("枣阳二村门口有人乱扔垃圾", "枣阳二村"),             # the gate is the community's
    ("梅川新村小区里面3号楼后面有人搭棚", "梅川新村"),
    ("清涧四村602对门在群租", "清涧四村"),
])
def test_a_place_inside_a_community_keeps_it(index, text, expected):
    check(index, text, expected)


@pytest.mark.parametrize("text", [
    "清涧四村菜场门口乱设摊", "金沙苑酒店晚上吵得睡不着", "真如芳华公寓式酒店里面有人群租", "长征公寓式酒店有人群租",
    "嘉禾城大酒店门口乱停电瓶车", "秋霞苑宾馆把垃圾扔在绿化带里", "梅川新村菜市场里垃圾没人清", "银杏苑商场地下车库飞线充电",
    "芳华城便利店把垃圾扔在路边", "康乐花园广场上有人乱扔垃圾", "清涧四村公交站有小广告",
])
def test_a_name_inside_a_shop_or_hotel_name_gives_none(index, text):
    got = check(index, text, None)
    assert got.evidence["name_in_shop"]


@pytest.mark.parametrize("text", ["万里城路有人乱倒垃圾", "嘉禾城路上停满了电瓶车", "海棠花园路有小广告"])
def test_a_name_inside_a_road_name_is_not_the_community(index, text):
    got = check(index, text, None)
    assert got.evidence["name_in_road"]


def test_a_road_named_after_an_estate_still_reads_its_door(index):
    # 万里城路 is not registered: its door says nothing, and 万里城 in it is not the community either
    check(index, "万里城路2500弄", None)


@pytest.mark.parametrize(("text", "expected"), [
    ("诉求人住址：真光路75弄；事发地址：铜川路618弄，有人乱倒垃圾", "清涧四村"),
    ("事发地址：真光路75弄。来电人住址：真光路281弄", "真光坊"),
    ("来电人系馨和苑居民，反映芳华城有人把阳台封出去了", "芳华城"),
    ("诉求人住址：普陀区金沙苑；事发地点：丹巴小区2号楼楼道堆物", "丹巴小区"),
    ("我住海棠花园，反映嘉禾城里面有人飞线充电", "嘉禾城"),
    ("来电人住在秋霞苑，举报康乐花园有人群租", "康乐花园"),
    ("家住清涧四村的市民反映真光路281弄有人飞线充电", "馨和苑"),
    ("来电人住址：梅川路350弄，事发地址：梅川路132弄6号，住改商", "福泽坊"),
    ("我家住在海棠花园，嘉禾城有人乱贴小广告，要求处理", "嘉禾城"),
    ("来电人住址：静安区某路1号，事发地址：铜川路618弄", "清涧四村"),
    ("来电人称其住在清涧四村，反映真光路281弄有人群租", "馨和苑"),
    ("市民（住清涧四村）反映真光路281弄有人群租", "馨和苑"),
    ("诉求人住址：普陀区铜川路618弄 诉求内容：真光路281弄有人群租", "馨和苑"),  # the caller's district is not the matter's
    # only the caller's own address: the matter is there
    ("来电人系枣阳二村居民，反映楼下有人群租", "枣阳二村"),
    ("诉求人住址：梅川路242弄；反映：楼道飞线充电", "梅川新村"),
])
def test_the_matters_place_wins_over_the_callers_address(index, text, expected):
    got = check(index, text, expected)
    if "事发" in text or "反映" in text and expected not in text[:12]:
        assert got.evidence.get("caller_address_set_aside") or expected in ("枣阳二村", "梅川新村")


def test_the_callers_address_set_aside_leaves_an_unknown_matter_place_unknown(index):
    # the matter is on a road without a door: its community is not known, and the caller's is not it
    check(index, "来电人住址：铜川路618弄，反映铜川路上有人摆摊", None)


@pytest.mark.parametrize("text", [
    "清涧六村楼道里飞线充电", "新秋霞苑有人群租", "东方嘉禾城楼下有人乱扔垃圾", "嘉禾城市花园3号楼飞线充电",
    "芳华城邦楼下有小广告", "金桂城花园有人搭阳光房", "老馨和苑有人住改商", "银杏园小区有人群租", "梅川新村五村楼道堆物",
    "南海棠花园有人乱扔垃圾", "银杏苑二村有人搭违建", "金沙苑名邸有人装修",
])
def test_a_look_alike_estate_gives_none(index, text):
    check(index, text, None)


@pytest.mark.parametrize(("text", "expected"), [
    ("嘉禾城城管来过也不管", "嘉禾城"), ("秋霞苑市民反映楼道堆物", "秋霞苑"), ("真光路上芳华城门口乱扔垃圾", "芳华城"),
    ("梅川新村12号楼楼道堆物", "梅川新村"), ("真华2村5号楼", "真华二村"),
])
def test_a_registered_name_in_ordinary_words_still_matches(index, text, expected):
    check(index, text, expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("古浪路廿九弄有人群租", "武威四村"), ("梅川路廿弄楼道堆物", "丹巴小区"), ("真华路卅一号底楼开了棋牌室", "真如雅苑"),
    ("真华路一百卅弄底楼住改商", "秋霞苑"), ("兰溪88弄有人群租", "兰溪小区"), ("管弄50弄楼道堆物", "管弄新村"),
    ("铜川618弄有人装修没登记", "清涧四村"), ("金沙江2412弄有人搭建", "金沙苑"), ("怒江北273弄楼道飞线充电", "枣阳二村"),
    ("铜川路618-5-302群租", "清涧四村"), ("真光路607-11-602楼上漏水到我家", "芳华城"), ("真华路31号楼道堆物", "真如雅苑"),
    ("管弄51弄有人群租", None), ("真光路567-11-602楼道堆物", None),
])
def test_numerals_and_shorthand(index, text, expected):
    check(index, text, expected)


def test_a_road_stem_that_ends_a_name_is_not_a_road():
    # 新村 of 梅川新村 is also the stem of 新村路: 梅川新村5号 is building 5 of the estate, not 新村路5号
    communities = [{"id": 1, "name": "梅川新村", "street_id": 1}, {"id": 2, "name": "玉兰家园", "street_id": 1}]
    addresses = [{"community_id": 2, "road": "新村路", "unit": "NUMBER", "number_from": 5, "number_to": None}]
    index = CommunityIndex(communities, addresses, [], STREETS[:1])
    assert index.match("梅川新村5号楼道堆物").community == "梅川新村"
    assert index.match("新村路5号楼道堆物").community == "玉兰家园"
    assert index.match("新村5号楼道堆物").community is None  # 新村 is not read as a road at all


def test_parser_reads_old_tens_and_lane_building_flat():
    assert chinese_to_int("廿九") == 29
    assert chinese_to_int("一百卅") == 130
    assert chinese_to_int("卌") == 40
    assert normalize("古浪路廿九弄") == "古浪路29弄"
    parsed = parse("真光路567-11-602室")
    assert (parsed.lane, parsed.number) == (567, 11) and parsed.room == "602"
    ranged = parse("铜川路1237-1247号")  # a range keeps its two parts
    assert (ranged.number, ranged.number_to) == (1237, 1247)
    assert parse("中潭路31号楼道堆物").number == 31
    assert parse("中潭路31号楼3室").number is None  # 31号楼 is a building, not a door
