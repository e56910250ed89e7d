"""履职检查 addressed to a property company lands in each of its users' inboxes, once, and nobody else's (R3.8)."""
import pytest

from accounts.choices import InboxKind
from accounts.models import InboxItem
from credit import services
from credit.tests.helpers import check_of, filed_owner_case
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def test_a_duty_check_tells_the_companys_users_once(world):
    from accounts.choices import Role

    pia = make_user("pia", Role.PROPERTY, company=world.company_a)   # a second user of company A
    case = filed_owner_case(world)   # 兰溪一村, managed by company A
    check = check_of(case)
    items = InboxItem.objects.filter(kind=InboxKind.DUTY_CHECK)
    assert sorted((item.user_id, item.about_pk) for item in items) == sorted([(world.paul.pk, check.pk),
                                                                              (pia.pk, check.pk)])
    assert not InboxItem.objects.filter(user=world.carl).exists()   # company B
    assert all(case.number in item.title for item in items)
    assert services.duty_check_open(case=case, actor=world.oscar) == check   # idempotent: nothing new
    assert items.count() == 2
