"""An owner reads the issuer's audit log in real Chromium: filters it, and it passes axe's WCAG 2.1 A/AA
checks and reads at 360 px as labelled cards."""

import pytest

from api.tokens import api_token_create
from issuers.membership import issuer_member_roles_set
from issuers.models import Role
from tests.browser.test_console_browser import assert_no_horizontal_scroll, sign_in
from tests.factories import make_issuer, make_member

pytestmark = pytest.mark.browser


@pytest.fixture
def issuer(transactional_db):
    return make_issuer()


def test_an_owner_reads_and_filters_the_audit_log(page, issuer, axe, screenshot):
    owner = make_member(issuer, "ingrid", Role.OWNER).user
    issuer_member_roles_set(member=make_member(issuer, "olle", Role.DESIGNER), roles=[Role.ASSESSOR], by=owner)
    api_token_create(issuer=issuer, by=owner, name="Ladok", scopes=["read"])
    sign_in(page, owner)
    page.goto(f"/console/{issuer.slug}/")
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="Audit log").click()
    page.wait_for_url(f"**/console/{issuer.slug}/audit-log/")
    table = page.get_by_role("table", name="newest first", exact=False)
    assert table.get_by_role("cell", name="Ladok").is_visible()
    axe.assert_clean(page)

    page.get_by_label("Action").select_option(label="roles changed")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=member_roles_changed**")
    assert table.get_by_role("cell", name="olle@example.org").is_visible()
    assert table.get_by_role("cell", name="Ladok").count() == 0
    axe.assert_clean(page)
    screenshot(page, "audit-log")
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
