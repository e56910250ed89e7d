"""Repeat offenders (R3.6): the same party (ID number, or name + phone) or the same flat (community + building + room)
across cases and complaints; counted only within the reader's scope; a second household-waste offence is not
education-first (cases.rules)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from cases import repeat, rules, services
from intake import services as intake_services
from intake.choices import Channel
from registry.models import ViolationType

pytestmark = pytest.mark.django_db
ID = "310107199001011234"


def opened(world, code, *, community, actor, location="", party=None):
    case = services.case_open(violation_type=ViolationType.objects.get(code=code), community=community,
                              summary="巡查发现", actor=actor, location=location)
    if party:
        services.party_add(case=case, actor=actor, role="OWNER", **party)
    return case


def test_the_parser_finds_the_flat():
    assert repeat.flat_of("兰溪路88弄3号201室") == ("3", "201")
    assert repeat.flat_of("3号楼201室") == ("3", "201")
    assert repeat.flat_of("兰溪路88弄三号楼201室") == ("3", "201")
    assert repeat.flat_of("兰溪路88弄") is None


def test_same_party_and_same_flat_are_recognised_with_links(client, world):
    first = opened(world, "GROUP_RENTING", community=world.caoyang_a, actor=world.oscar,
                   party={"name": "赵某", "id_number": ID})
    second = opened(world, "EBIKE_CHARGING", community=world.caoyang_a, actor=world.oscar,
                    location="3号楼201室")
    third = opened(world, "GROUP_RENTING", community=world.caoyang_a, actor=world.oscar, location="兰溪路88弄3号201室",
                   party={"name": "赵某", "id_number": ID.lower() + " "})
    found = repeat.earlier(world.oscar, third)
    assert [c.pk for c in found["cases"]] == [second.pk, first.pk]
    assert found["party"] == {first.pk} and found["flat"] == {second.pk}
    client.force_login(world.oscar)
    page = client.get(reverse("cases:detail", args=[third.pk])).content.decode()
    assert "此户/此人：此前 2 起案件" in page and reverse("cases:detail", args=[first.pk]) in page
    assert "repeat-offender" not in client.get(reverse("cases:detail", args=[first.pk])).content.decode()
    body = client.get(f"/api/v1/cases/{third.pk}/repeat/").json()
    assert body["count"] == 2 and {c["id"] for c in body["cases"]} == {first.pk, second.pk}


def test_name_and_phone_when_no_id(world):
    first = opened(world, "GROUP_RENTING", community=world.caoyang_a, actor=world.oscar,
                   party={"name": "钱某", "phone": "138-1234-5678"})
    later = opened(world, "USE_CHANGE", community=world.caoyang_a, actor=world.oscar,
                   party={"name": "钱某", "phone": "13812345678"})
    other = opened(world, "USE_CHANGE", community=world.caoyang_a, actor=world.oscar,
                   party={"name": "孙某", "phone": "13812345678"})
    assert [c.pk for c in repeat.earlier(world.oscar, later)["cases"]] == [first.pk]
    assert repeat.earlier(world.oscar, other)["cases"] == []


def test_the_count_never_includes_cases_outside_the_readers_scope(client, world):
    elsewhere = opened(world, "GROUP_RENTING", community=world.changfeng_b, actor=world.owen,
                       party={"name": "赵某", "id_number": ID})
    here = opened(world, "GROUP_RENTING", community=world.caoyang_a, actor=world.oscar,
                  party={"name": "赵某", "id_number": ID})
    assert repeat.earlier(world.oscar, here)["cases"] == []           # 长风's case is not oscar's to know
    assert [c.pk for c in repeat.earlier(world.alice, here)["cases"]] == [elsewhere.pk]   # the district's lead
    client.force_login(world.oscar)
    page = client.get(reverse("cases:detail", args=[here.pk])).content.decode()
    assert "repeat-offender" not in page and elsewhere.number not in page
    body = client.get(f"/api/v1/cases/{here.pk}/repeat/").json()
    assert body == {"count": 0, "cases": [], "complaints": []}
    client.force_login(world.owen)   # and the other way round: 404 for a case not in scope
    assert client.get(f"/api/v1/cases/{here.pk}/repeat/").status_code == 404
    client.force_login(world.hana)
    assert client.get(f"/api/v1/cases/{here.pk}/repeat/").status_code == 404
    # nor does the rule of the type reach across streets: the rule reads the case's own street only
    assert not repeat.is_repeat(here)


def test_complaints_about_the_same_flat(world, keyword_classifier):
    case = opened(world, "EBIKE_CHARGING", community=world.caoyang_a, actor=world.oscar, location="3号楼201室")
    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content="楼道飞线充电", address="兰溪路88弄3号201室", received_at=timezone.now()))
    other = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content="楼道飞线充电", address="兰溪路88弄4号201室", received_at=timezone.now()))
    found = repeat.earlier(world.oscar, case)
    assert complaint.community_id == world.caoyang_a.pk
    assert [c.pk for c in found["complaints"]] == [complaint.pk] and other.pk not in [c.pk for c in found["complaints"]]
    assert repeat.earlier(world.owen, case)["complaints"] == []


def test_a_second_household_waste_offence_is_not_education_first(world):
    waste = ViolationType.objects.get(code="HOUSEHOLD_WASTE")
    if "FINE" not in waste.default_measures:
        waste.default_measures = [*waste.default_measures, "FINE"]
        waste.save()
    first = opened(world, "HOUSEHOLD_WASTE", community=world.caoyang_a, actor=world.oscar,
                   party={"name": "李某", "id_number": ID})
    assert rules.check_measures(first, {"measures": ["FINE"]})[0].startswith("应先教育")
    second = opened(world, "HOUSEHOLD_WASTE", community=world.caoyang_a, actor=world.oscar,
                    party={"name": "李某", "id_number": ID})
    assert rules.check_measures(second, {"measures": ["FINE"]}) is None
    # an earlier case dismissed as unfounded is no offence
    first = services.case_transition(case=first, action="start_verification", actor=world.oscar)
    services.case_transition(case=first, action="dismiss", actor=world.oscar, reason="不属实")
    assert rules.check_measures(second, {"measures": ["FINE"]})[0].startswith("应先教育")
