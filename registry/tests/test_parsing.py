import pytest

from registry import addresses, credit_code


def test_published_codes_are_valid():
    # Codes as printed on public business licences; a wrong algorithm passes a real code 1 time in 31.
    for code in ["911100001000044477", "91110000710925243K", "91440300192185379H"]:
        assert credit_code.problem(code) is None, code


def test_one_changed_character_is_caught():
    code = "91110000710925243K"
    for position in range(17):
        replacement = "1" if code[position] != "1" else "2"
        assert not credit_code.is_valid(code[:position] + replacement + code[position + 1:])


@pytest.mark.parametrize(("code", "reason"), [
    ("9131010713222768X", "18位"),
    ("91310107132227680OX", "18位"),
    ("91310107I3222768X0", "非法字符"),
    ("913101071322276809", "校验位"),
])
def test_invalid_codes_say_why(code, reason):
    if reason == "校验位":
        body = code[:17]
        wrong = next(c for c in credit_code.ALPHABET if c != credit_code.check_character(body))
        code = body + wrong
    assert reason in credit_code.problem(code)


def test_normalize_accepts_lowercase_and_spaces():
    body = "91310107MA1G00001"
    code = body + credit_code.check_character(body)
    assert credit_code.is_valid(" " + code.lower() + " ")


@pytest.mark.parametrize(("text", "road", "lane", "number", "room"), [
    ("铜川路123弄", "铜川路", 123, None, ""),
    ("兰溪路88号", "兰溪路", None, 88, ""),
    ("上海市普陀区真如镇街道铜川路一百二十三弄5号601室", "铜川路", 123, 5, "601"),
    ("真北路１２３０弄３号楼", "真北路", 1230, None, ""),
    ("梅岭北路二〇五号", "梅岭北路", None, 205, ""),
    ("市民反映：普陀区曹杨新村街道枣阳路 66 弄 12号 302室楼道", "枣阳路", 66, 12, "302"),
    ("普陀区长寿路街道镇坪路88号", "镇坪路", None, 88, ""),
    ("家住曹杨新村兰溪路十二弄", "兰溪路", 12, None, ""),
    ("桃浦镇新村路99弄", "新村路", 99, None, ""),
])
def test_parse_shanghai_addresses(text, road, lane, number, room):
    parsed = addresses.parse(text)
    assert (parsed.road, parsed.lane, parsed.number, parsed.room) == (road, lane, number, room)
    assert parsed.ok


def test_ranges_and_canonical_form():
    parsed = addresses.parse("桃浦镇桃浦路1-25号")
    assert (parsed.number, parsed.number_to, parsed.street) == (1, 25, "桃浦镇")
    assert parsed.canonical() == "桃浦路1-25号"


@pytest.mark.parametrize("text", ["兰溪路那边的小区", "123弄", "", "某小区3号楼"])
def test_unparseable_addresses_are_not_ok(text):
    assert not addresses.parse(text).ok


@pytest.mark.parametrize(("text", "value"), [("一百二十三", 123), ("十二", 12), ("二〇五", 205), ("两千零八", 2008),
                                             ("十", 10), ("九十九", 99)])
def test_chinese_numerals(text, value):
    assert addresses.chinese_to_int(text) == value


def test_split_list_accepts_both_semicolons():
    assert addresses.split_list("铜川路1弄；兰溪路2号;枣阳路3号") == ["铜川路1弄", "兰溪路2号", "枣阳路3号"]
