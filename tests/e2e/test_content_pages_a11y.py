"""axe-core finds no WCAG 2.2 A/AA violations on the articles, the directory search and a listing, at desktop
and phone widths; the pages do not scroll sideways. Screenshots go to test-artifacts/screenshots/."""

import pytest

from tests.support.accessibility import VIEWPORTS, Audit

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_articles_directory_and_listing_pages(live_server, new_page, screenshots, viewport):
    page = new_page(**viewport)
    audit = Audit(page, screenshots, viewport["width"])
    page.goto(live_server + "/articles")
    audit.check("articles")
    page.get_by_role("link", name="Trigger points: finding them, and easing them").first.click()
    page.wait_for_url("**/articles/trigger-points-finding-them-and-easing-them")
    audit.check("article")
    page.goto(live_server + "/")
    page.get_by_label("ZIP code").fill("04101")
    page.get_by_role("button", name="Find a professional").click()
    page.wait_for_url("**/professionals?**")
    assert page.locator(".directory-card").count() >= 2
    audit.check("directory")
    page.get_by_role("link", name="Casco Bay Soft Tissue").click()
    page.wait_for_url("**/professionals/casco-bay-soft-tissue-portland")
    assert "CE hours with us" in page.locator("section.verified").inner_text()
    audit.check("listing")
    page.get_by_role("button", name="Send the message").click()  # empty: the server's messages by the fields
    audit.check("listing-errors")
    audit.assert_clean()
