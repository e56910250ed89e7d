"""What every browser test does the same way."""
from playwright.sync_api import expect

from tests.personas import PASSWORD


def login(page, base, username, password=PASSWORD):
    """Sign in through the login page, as a user would, and wait until the page names the user."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_contain_text(username)
