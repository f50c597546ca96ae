"""The cross-site scripting check of tests.support.xss can fail: it finds every payload that is live markup when a
page carries it unescaped (and each Markdown one once rendered without the sanitiser), and nothing in its escaped
form. Without this, the payload tests could pass by a check that sees nothing."""

import markdown
from markupsafe import escape

from tests.support.xss import PAYLOADS, active_content

# Payloads that are not live markup in a page as such: Markdown (live only once rendered), text a browser never
# runs (encoded, template syntax, a bare scheme), and parser tricks that leave an inert element.
INERT = ("[click", "![", "${", "{{", "%3C", "&lt;", "\\u003c", "javascript:", "data:text", "<![CDATA[",
         "<img src=\"x`", "<img src=`", "<scr<script>")


def _vector(payload):
    return payload.removeprefix('">').removeprefix("'>")


def test_the_check_finds_every_payload_that_is_live_markup_in_an_unescaped_page():
    live = [p for p in PAYLOADS if not _vector(p).startswith(INERT)]
    assert len(live) >= 150
    missed = [p for p in live if not active_content(f"<main><p>{p}</p></main>")]
    assert not missed


def test_the_check_finds_the_markdown_payloads_once_rendered_without_the_sanitiser():
    written = [p for p in PAYLOADS if _vector(p).startswith(("[click", "![")) and "javascript" in p.lower()]
    assert len(written) >= 9  # (Python-Markdown itself escapes the quote of the `" onerror=` one)
    assert all(active_content(markdown.markdown(_vector(p))) for p in written)


def test_an_escaped_payload_carries_nothing_the_check_finds():
    assert not [p for p in PAYLOADS if active_content(f"<p title=\"{escape(p)}\">{escape(p)}</p>")]


def test_the_shops_own_scripts_and_video_frames_are_not_flagged():
    page = ('<script src="/static/js/cart.js" defer></script><script src="https://js.stripe.com/v3/"></script>'
            '<iframe src="https://player.vimeo.com/video/1" title="Lesson video"></iframe>'
            '<a href="/products/x">x</a><img src="data:image/png;base64,AAAA" alt="QR code">')
    assert active_content(page) == []


def test_a_json_ld_data_block_is_not_active_content():
    page = ('<head><script type="application/ld+json">{"@type":"Product","name":"A \\u003c/script\\u003e title"}'
            '</script><script type=" Application/LD+JSON ">[{"@type":"BreadcrumbList"}]</script></head>')
    assert active_content(page) == []


def test_any_other_script_is_still_flagged_json_ld_or_not():
    scripts = [
        '<script type="application/ld+json">{"name":"</script><script>alert(1)</script>"}</script>',  # broken out
        '<script type="application/ld+json">alert(1)</script>',  # not JSON
        '<script type="application/ld+json"></script>',
        '<script type="application/ld+json" src="https://evil.test/x.js"></script>',
        '<script type="text/javascript">{"name": "x"}</script>',  # JSON, but a script a browser runs
        '<script type="module">{}</script>',
        '<script>{"name": "x"}</script>',
        '<script type="application/json">alert(1)</script><script>alert(2)</script>',
    ]
    assert [s for s in scripts if not any(f.startswith("script:") for f in active_content(s))] == []
    broken = active_content(scripts[0])
    assert len([f for f in broken if f.startswith("script:")]) == 2  # the cut-short block and the one after it
