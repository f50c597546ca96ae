from types import SimpleNamespace

from shop.catalogue.text import fold, render_markdown, search_text_for


def test_markdown_is_rendered_and_scripts_are_removed():
    html = render_markdown("# Title\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_markdown_headings_start_below_the_page_title():
    assert "<h2>Title</h2>" in render_markdown("# Title")


def test_links_get_a_safe_rel():
    assert 'rel="noopener noreferrer"' in render_markdown("[site](https://example.org)")


def test_fold_lowercases_and_strips_accents_and_punctuation():
    assert fold("Myofascial Release—Level Ⅱ, café") == "myofascial release level ii cafe"


def test_search_text_covers_title_author_sku_and_categories():
    product = SimpleNamespace(title="Trigger Points", subtitle="", author="Mary Sanderson", sku="CE-TPT",
                              isbn="", summary="", description_md="Neck work",
                              categories=[SimpleNamespace(name="Assessment")])
    text = search_text_for(product)
    for word in ("trigger", "sanderson", "ce", "tpt", "neck", "assessment"):
        assert f" {word} " in text
