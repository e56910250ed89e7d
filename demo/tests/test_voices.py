"""Each source of a demo complaint speaks in its own voice: a patrol's finding and a property company's report are
written by an official in the third person; only a caller speaks as a resident ("我是楼组长…")."""
import re
from datetime import datetime

from demo import hotline

# What a resident says of himself: an official's finding or a company's report never says it.
FIRST_PERSON = re.compile(r"我|本人|咱|俺|阿拉")
# What a hotline operator writes about a caller: not in a finding or a company's report either.
CALLER = re.compile(r"来电人|诉求：|市民来电")

PLACES = [
    hotline.Place(id=i, name=name, street="长风新村街道", street_short="长风", households=600,
                  doors=[hotline.Door(road, "LANE", 1, 300)], buildings=20)
    for i, (name, road) in enumerate([("锦绣苑", "兰溪路"), ("嘉和小区", "金沙江路"), ("瑞泰公寓", "枣阳路")], start=1)
]
START, END = datetime(2026, 1, 1), datetime(2026, 12, 1)


def test_patrol_findings_are_an_officials_words():
    findings = hotline.patrol_findings(1500, start=START, end=END, seed=7, places=PLACES)
    resident = [f["content"] for f in findings if FIRST_PERSON.search(f["content"]) or CALLER.search(f["content"])]
    assert resident == []
    # the callers' texts a finding may reword carry no plea, question or neighbour's view either
    texts = hotline.texts()["hotline"]
    for matter in texts:
        assert [t for t in hotline._official_pool(texts, matter)
                if hotline.RESIDENT_VOICE.search(hotline._core(t.template))] == []


def test_property_reports_are_the_companys_words():
    reports = hotline.property_reports(800, start=START, end=END, seed=8, places=PLACES)
    assert [r["content"] for r in reports if FIRST_PERSON.search(r["content"]) or CALLER.search(r["content"])] == []
    assert all(r["content"].startswith(hotline._PROPERTY_OPENINGS) for r in reports)


def test_a_callers_first_person_text_is_not_made_a_finding():
    assert hotline._third_person("市民来电反映：我是楼组长，楼上装修没有去物业登记，要求处理。") is None
    assert hotline._third_person("市民来电反映：3号楼底楼住户擅自在外墙开门，要求相关部门处理。") == "3号楼底楼住户擅自在外墙开门"
