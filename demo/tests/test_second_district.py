"""seed_demo --second-district (issue 12): 静安区 beside the demo's Putuo, idempotent, each district's lead seeing
their own and the city bureau both."""
import pytest
from django.utils import timezone

from accounts.choices import Role
from cases.models import EnforcementCase
from demo import second_district
from demo.district import Tally
from intake.models import Complaint
from registry.models import Community, District
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def test_the_second_district_loads_once_and_stays_apart(world, keyword_classifier, media):
    now = timezone.now()
    second_district.load(tally=Tally(), now=now)
    jingan = District.objects.get(name="静安区")
    assert jingan.number_prefix == "JA" and jingan.streets.count() == len(second_district.STREETS)
    assert Community.objects.filter(street__district=jingan).count() == len(second_district.COMMUNITIES)
    complaints = Complaint.objects.filter(street__district=jingan)
    assert complaints.count() == second_district.COMPLAINTS
    assert not complaints.filter(received_at__gte=now).exists()
    cases = EnforcementCase.objects.filter(street__district=jingan)
    assert cases.exists() and all(c.number.startswith("JA-AJ") for c in cases)

    again = Tally()
    second_district.load(tally=again, now=timezone.now())
    assert again.created == 0 and Complaint.objects.filter(street__district=jingan).count() == complaints.count()

    lead = second_district.USERS[0]
    from accounts.models import User

    jingan_lead = User.objects.get(username=lead.username)
    assert jingan_lead.district == jingan and jingan_lead.check_password(second_district.putuo.DEMO_PASSWORD)
    seen = Complaint.objects.restrict(jingan_lead, "view")
    assert seen.count() == complaints.count()
    world.alice.district = world.district
    world.alice.save(update_fields=["district"])
    assert not Complaint.objects.restrict(User.objects.get(pk=world.alice.pk), "view").filter(
        street__district=jingan).exists()
    city = make_user("city_demo", Role.CITY)
    assert Complaint.objects.restrict(city, "view").count() == Complaint.objects.count()
