"""A shopper in a real browser: keyboard-only use, page weight, catalogue filters, and screenshots at two widths."""

import re

import pytest

from tests.support.browser import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

PAGE_WEIGHT_LIMIT = 100 * 1024


def focused(page):
    """A short description of the focused element: tag, id, classes and text."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: (el.textContent || '').trim(),
                href: el.getAttribute('href')};
    }""")


def test_keyboard_shopper_skips_to_main_and_searches(live_server, page):
    page.goto(live_server + "/")

    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip-link" and first["text"] == "Skip to main content", first
    skip = page.locator(".skip-link")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, "the focused skip link is off screen"

    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert focused(page)["id"] == "main", "Enter on the skip link should move focus to <main>"

    # From the top again, the search box is a few Tab presses away.
    page.goto(live_server + "/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["id"] == "site-search":
            break
    else:
        pytest.fail("the search box is not reachable with Tab from the top of the page")

    page.keyboard.type("myofacial")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/search\?q=myofacial$", page.url)
    assert "myofascial" in page.locator(".lead").inner_text()
    titles = page.locator(".card__title").all_inner_texts()
    assert "Myofascial Release: Principles and Practice" in titles
    assert "Myofascial Release for the Thoracic Spine" in titles
    assert page.locator("#site-search").input_value() == "myofacial"


def test_home_page_html_and_css_weigh_under_100_kb(live_server, page):
    fetched = []
    page.on("response", lambda response: fetched.append(response))
    page.goto(live_server + "/", wait_until="load")

    sizes = {}
    for response in fetched:
        if response.request.resource_type in {"document", "stylesheet"}:
            sizes[response.url] = len(response.body())
    assert any(url.endswith(".css") for url in sizes), sizes
    total = sum(sizes.values())
    assert total < PAGE_WEIGHT_LIMIT, f"home page HTML + CSS is {total} bytes: {sizes}"


def _prices(page):
    return [int(re.sub(r"[^\d]", "", text.split()[0])) for text in page.locator(".card__price").all_inner_texts()]


def test_catalogue_filters_work_from_the_form(live_server, page):
    page.goto(live_server + "/catalogue")
    everything = page.locator(".card").count()

    page.get_by_label("Show").select_option(label="Home study courses")
    page.get_by_label("Sort by").select_option(label="Price, low to high")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()

    assert "kind=course" in page.url and "sort=price-asc" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Home study courses"
    assert page.get_by_label("Show").input_value() == "course"
    assert page.get_by_label("Sort by").input_value() == "price-asc"
    metas = page.locator(".card__meta").all_inner_texts()
    assert metas and all(meta.startswith("Home study course") for meta in metas)
    assert len(metas) < everything
    prices = _prices(page)
    assert prices == sorted(prices) and len(set(prices)) > 1
    count = int(page.locator(".result-count").inner_text().split()[0])
    assert count == len(metas)


SCREENSHOT_PAGES = {
    "home": "/",
    "catalogue": "/catalogue",
    "product": "/products/soft-tissue-release-book",
    "combo": "/products/str-starter-combo",
}


@pytest.mark.parametrize("viewport_name", ["desktop", "phone"])
@pytest.mark.parametrize("name", SCREENSHOT_PAGES)
def test_full_page_screenshot_without_sideways_scrolling(live_server, new_page, artifacts_dir, name, viewport_name):
    viewport = DESKTOP if viewport_name == "desktop" else PHONE
    page = new_page(**viewport)
    response = page.goto(live_server + SCREENSHOT_PAGES[name], wait_until="load")
    assert response is not None and response.status == 200
    # Lazy images below the fold would show as empty boxes in a full-page shot: load them all first.
    page.evaluate("""async () => {
        const images = [...document.images];
        images.forEach(img => { img.loading = 'eager'; });
        await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
            img.addEventListener('load', done, {once: true});
            img.addEventListener('error', done, {once: true});
        })));
        await document.fonts.ready;
    }""")
    broken = page.evaluate("() => [...document.images].filter(img => !img.naturalWidth).map(img => img.src)")
    assert not broken, f"{name} has images that did not load: {broken}"
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}-{viewport_name}.png"), full_page=True)

    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth})")
    assert widths["scroll"] <= widths["view"], f"{name} scrolls sideways at {viewport['width']}px: {widths}"
    wider = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(el => !el.closest('.skip-link, .visually-hidden'))
        .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')).slice(0, 10)""")
    assert not wider, f"{name} has elements past the right edge at {viewport['width']}px: {wider}"
