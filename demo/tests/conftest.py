import pytest

from credit.tests.helpers import media  # noqa: F401
from intake.tests.fakes import keyword_classifier  # noqa: F401


@pytest.fixture(autouse=True)
def _two_officers_in_each_street(request):
    """The demo district has two certified officers in every street (行政处罚法 §42: cases are investigated and
    proposed by two); the test world has one in 长风, so tests of the demo on it get a second there."""
    if "world" not in request.fixturenames:
        return
    from accounts.choices import Role
    from tests.personas import make_user

    world = request.getfixturevalue("world")
    make_user("olga", Role.OFFICER, streets=[world.changfeng], display_name="奥尔加队员")
