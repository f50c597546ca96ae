"""A shared page's per-visitor choices: each is replaced by the rendering its condition picks, the rest of the
page untouched, and fragments inside fragments are filled in too."""

import pytest
from markupsafe import Markup

from shop.web import pagecache


@pytest.fixture
def condition(monkeypatch):
    def register(name, func):
        monkeypatch.setitem(pagecache._conditions, name, func)
    return register


def test_each_choice_takes_the_rendering_its_condition_picks(condition):
    condition("test-even", lambda argument: int(argument) % 2 == 0)
    page = "<p>" + "|".join(pagecache.choice("test-even", n, f"even {n}", f"odd {n}") for n in range(4)) + "</p>"
    assert pagecache._choose(page) == "<p>even 0|odd 1|even 2|odd 3</p>"


def test_a_choice_is_markup_that_keeps_its_renderings_as_they_are(condition):
    condition("test-yes", lambda argument: True)
    made = pagecache.choice("test-yes", "7", Markup("<b>yours</b>"), Markup("<form></form>"))
    assert isinstance(made, Markup)
    assert pagecache._choose("before " + made + " after") == "before <b>yours</b> after"


def test_a_page_without_choices_is_left_alone():
    page = "<main>nothing to choose</main>"
    assert pagecache._choose(page) == page


def test_a_fragment_may_hold_another_fragments_marker(monkeypatch):
    # the inner one is met first, before the outer one has put its marker in the page
    monkeypatch.setattr(pagecache, "_fragments", {"test-inner": lambda: "token",
                                                  "test-outer": lambda: "[" + pagecache.marker("test-inner") + "]"})
    assert pagecache.personalise("a " + pagecache.marker("test-outer") + " b") == "a [token] b"


def test_an_unknown_condition_or_a_nul_in_the_argument_is_refused(condition):
    condition("test-yes", lambda argument: True)
    for name, argument in (("test-unknown", 1), ("test-yes", "a\x00b")):
        try:
            pagecache.choice(name, argument, "a", "b")
        except ValueError:
            continue
        raise AssertionError(f"choice({name!r}, {argument!r}) was accepted")
