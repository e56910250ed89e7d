"""Every role's home page shows its real work, each count a link to where it is done (issue 10: the officer's
home was four counts while the work was on 今日工作台; departments' homes said nothing of overdue referrals)."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import referrals, services
from cases.models import EnforcementCase, Referral
from intake import services as intake_services
from intake.choices import Channel
from intake.tests.fakes import keyword_classifier  # noqa: F401
from registry.models import Department

pytestmark = pytest.mark.django_db


def receive(content, address, **extra):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now(), **extra))


@pytest.fixture
def work(world, keyword_classifier):
    """oscar's overdue case, a referral to the housing bureau past its due date, one still in time, and a
    12345 order past its 办理时限."""
    today = timezone.localdate()
    case = services.case_open_from_complaint(complaint=receive("楼道飞线充电", "兰溪路88弄"), actor=world.oscar)
    EnforcementCase.objects.filter(pk=case.pk).update(state_due=today - timedelta(days=3))
    housing = Department.objects.get(code="HOUSING")
    late = referrals.referral_send(department=housing, matter="群租疑似，请核查", actor=world.oscar, case=case)
    Referral.objects.filter(pk=late.pk).update(due=today - timedelta(days=2))
    order = receive("楼道堆物", "兰溪路90弄", external_no="2026-0106-000001", due_date=today - timedelta(days=300))
    on_time = referrals.referral_send(department=housing, matter="物业费公示，请答复", actor=world.oscar,
                                      complaint=order)
    return {"case": case, "late": late, "on_time": on_time, "order": order}


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def links(html):
    return {h.replace("&amp;", "&") for h in re.findall(r'<a[^>]+href="([^"#]+)[^"]*"', html.split("<main", 1)[-1])}


def test_the_officers_home_is_the_workbench(client, world, work):
    html = home(client, world.oscar)
    assert 'data-testid="home-workbench"' in html and 'data-testid="panel-overdue"' in html
    assert work["case"].number in html and reverse("cases:detail", args=[work["case"].pk]) in html
    assert reverse("cases:workbench") in html
    # the 12345 order past its 办理时限 is counted, with a link to the filtered queue
    assert re.search(r'data-testid="task-complaints-overdue".*?<div class="value[^"]*">1<', html, re.S)


def test_a_departments_home_shows_its_open_and_overdue_referrals(client, world, work):
    html = home(client, world.hana)
    assert 'data-testid="home-referrals"' in html
    assert re.search(r'data-testid="home-referrals-pending">待办 2 件', html)
    assert re.search(r'data-testid="home-referrals-overdue">超期 1 件', html)
    assert "群租疑似，请核查" in html and "物业费公示，请答复" in html
    assert html.index("群租疑似") < html.index("物业费公示")  # overdue first
    assert f"{reverse('cases:inbox')}?show=overdue#referral-{work['late'].pk}" in html
    # the link opens the inbox on the overdue referral
    inbox = client.get(reverse("cases:inbox"), {"show": "overdue"}).content.decode()
    assert f'id="referral-{work["late"].pk}"' in inbox and f'id="referral-{work["on_time"].pk}"' not in inbox
    # another department sees none of them
    html = home(client, world.gina)
    assert "群租疑似" not in html and 'data-testid="home-referrals-overdue"' not in html


def test_the_boards_home_counts_what_is_overdue(client, world, work):
    html = home(client, world.alice)
    for key in ("cases-overdue", "referrals-late", "complaints-overdue", "supervisions-open", "disputes"):
        assert f'data-testid="task-{key}"' in html
    assert re.search(r'data-testid="task-cases-overdue".*?<div class="value[^"]*">1<', html, re.S)
    assert re.search(r'data-testid="task-referrals-late".*?<div class="value[^"]*">1<', html, re.S)


def test_a_property_companys_home_leads_to_its_duty_checks(client, world):
    html = home(client, world.paul)
    assert 'data-testid="home-duty-checks"' in html and reverse("credit:mine") in html


@pytest.mark.parametrize("persona", ["alice", "ada", "oscar", "sam", "hana", "gina", "pete", "paul"])
def test_every_link_on_every_home_opens(client, world, work, persona):
    """No dead end: every link of the home page opens for the user it is shown to."""
    html = home(client, getattr(world, persona))
    targets = [h for h in links(html) if h.startswith("/") and not h.startswith(("/static/", "/i18n/"))]
    assert targets
    for target in targets:
        assert client.get(target).status_code == 200, target
