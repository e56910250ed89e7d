import pytest

from tests.walk.conftest import DEMO_LOGINS


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_demo_login_exists_and_is_active(demo_user, username):
    assert demo_user(username).is_active
