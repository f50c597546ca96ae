"""Articles: marketing drafts one, previews it, schedules it and it goes live by itself at its time (on the home
page, the list and the feed); visitors see only published ones, by category and page, with the products each
discusses and its neighbours; the text is sanitised; two marketers editing one article never overwrite each
other unseen; images are re-encoded; every change is audited."""

import io
import json
from datetime import timedelta
from xml.etree import ElementTree as ET

from PIL import Image
from sqlalchemy import select

from shop.content import articles as articles_service
from shop.content.models import Article, ArticleProduct
from shop.core.models import AuditEntry
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.web import pagecache
from tests.factories import ArticleFactory, CategoryFactory, ProductFactory
from tests.support.desk_helpers import logged_in
from tests.support.forms import csrf_token, post_form, soup, text

ATOM = "{http://www.w3.org/2005/Atom}"
ROOM = "/marketing/articles"


def _marketer(app):
    client, user = logged_in(app, role="marketing")
    return client, user


def _article(slug):
    db.session.expire_all()
    return db.session.scalar(select(Article).where(Article.slug == slug))


def _png(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 120)).save(out, "PNG")
    return out.getvalue()


def test_marketing_drafts_previews_schedules_and_the_article_goes_live_at_its_time(app, client):
    category = CategoryFactory(name="Trigger Point Therapy", slug="trigger-point-therapy")
    course = ProductFactory(title="Trigger Point Therapy: Neck", slug="tpt-neck", price_cents=12900)
    marketer, _ = _marketer(app)
    made = post_form(marketer, f"{ROOM}/new", {
        "title": "Trigger points, found and eased", "summary": "How to palpate and hold.",
        "author_name": "Mary Sanderson", "body_md": "## Palpation\n\nFollow the **taut band**.",
        "category_ids": str(category.id), "product_ids": str(course.id)})
    assert made.status_code == 302, text(made)[:500]
    article = _article("trigger-points-found-and-eased")
    assert article.status(utcnow()) == "draft" and article.body_html.startswith("<h2>Palpation</h2>")
    assert client.get("/articles/trigger-points-found-and-eased").status_code == 404  # a draft is not public
    preview = marketer.get(f"{ROOM}/{article.id}/preview")
    assert preview.status_code == 200 and "Preview." in text(preview) and "taut band" in text(preview)

    ahead = (utcnow() + timedelta(days=2)).replace(tzinfo=None)
    local = ahead - timedelta(hours=5)  # America/New_York in winter
    scheduled = post_form(marketer, f"{ROOM}/{article.id}/publish",
                          {"publish_local": local.strftime("%Y-%m-%dT%H:%M")}, page=f"{ROOM}/{article.id}")
    assert scheduled.status_code == 302
    article = _article(article.slug)
    assert article.status(utcnow()) == "scheduled"
    assert client.get(f"/articles/{article.slug}").status_code == 404
    assert "Trigger points, found and eased" not in text(client.get("/"))
    assert "scheduled" in text(marketer.get(ROOM)).lower()

    article.publish_at = utcnow() - timedelta(minutes=1)  # its time has come
    db.session.commit()
    pagecache.clear()
    page = client.get(f"/articles/{article.slug}")
    assert page.status_code == 200
    html = text(page)
    assert "Study this technique" in html and "Trigger Point Therapy: Neck" in html and "$129.00" in html
    assert 'action="/cart/add"' in html  # the related product's card adds it to the cart
    assert "not medical advice" in html  # the educational-use statement under every article
    home = soup(text(client.get("/")))
    recent = home.find("section", attrs={"aria-labelledby": "recent-articles"})
    assert recent is not None and "Trigger points, found and eased" in recent.get_text()
    feed = ET.fromstring(client.get("/articles/feed.xml").data)  # noqa: S314 (the shop's own feed)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["Trigger points, found and eased"]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "article")).all()
    assert {"article created", "article scheduled"} <= set(actions)


def test_publishing_now_and_unpublishing_take_it_on_and_off_the_public_pages(app, client):
    marketer, _ = _marketer(app)
    article = ArticleFactory(state="draft", publish_at=None, slug="on-and-off")
    assert post_form(marketer, f"{ROOM}/{article.id}/publish", {"publish_local": ""},
                     page=f"{ROOM}/{article.id}").status_code == 302
    assert client.get("/articles/on-and-off").status_code == 200
    assert post_form(marketer, f"{ROOM}/{article.id}/unpublish", {}, page=f"{ROOM}/{article.id}").status_code == 302
    pagecache.clear()
    assert client.get("/articles/on-and-off").status_code == 404
    assert _article("on-and-off").status(utcnow()) == "draft"


def test_an_empty_article_cannot_be_published(app):
    marketer, _ = _marketer(app)
    article = ArticleFactory(state="draft", publish_at=None, body_md="  ", body_html="")
    refused = post_form(marketer, f"{ROOM}/{article.id}/publish", {"publish_local": ""}, page=f"{ROOM}/{article.id}")
    assert refused.status_code == 422 and "Write the article" in text(refused)
    assert _article(article.slug).status(utcnow()) == "draft"


def test_the_text_is_sanitised_and_images_come_only_from_the_shop(app, client):
    marketer, _ = _marketer(app)
    body = ("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n"
            "![ok](/media/articles/tp-image-1a2b3c4d.png) ![far](https://elsewhere.test/x.png)")
    post_form(marketer, f"{ROOM}/new", {"title": "Safe text", "body_md": body})
    html = _article("safe-text").body_html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert 'src="/media/articles/tp-image-1a2b3c4d.png"' in html and "elsewhere.test" not in html


def test_two_marketers_editing_one_article_never_overwrite_each_other_unseen(app):
    first, _ = _marketer(app)
    second, _ = _marketer(app)
    article = ArticleFactory(title="Original", slug="shared")
    page_one, page_two = text(first.get(f"{ROOM}/{article.id}")), text(second.get(f"{ROOM}/{article.id}"))
    fields = {"title": "First's title", "slug": "shared", "body_md": "x", "version": str(article.version)}
    saved = first.post(f"{ROOM}/{article.id}", data={**fields, "csrf_token": csrf_token(page_one)})
    assert saved.status_code == 302
    stale = second.post(f"{ROOM}/{article.id}", data={**fields, "title": "Second's title",
                                                       "csrf_token": csrf_token(page_two)})
    assert stale.status_code == 409 and "Someone else saved this article" in text(stale)
    assert _article("shared").title == "First's title"


def test_a_slug_taken_by_another_article_is_refused_with_a_message(app):
    marketer, _ = _marketer(app)
    ArticleFactory(slug="taken")
    refused = post_form(marketer, f"{ROOM}/new", {"title": "Another", "slug": "taken", "body_md": "x"})
    assert refused.status_code == 422 and "already uses the web address" in text(refused)
    assert db.session.scalar(select(db.func.count(Article.id))) == 1


def test_the_cover_is_re_encoded_and_a_file_that_is_not_an_image_is_refused(app, client):
    marketer, _ = _marketer(app)
    article = ArticleFactory(slug="with-cover")
    page = text(marketer.get(f"{ROOM}/{article.id}"))
    bad = marketer.post(f"{ROOM}/{article.id}/cover", data={
        "cover-csrf_token": csrf_token(page), "cover-alt_text": "A hand on a shoulder",
        "cover-image": (io.BytesIO(b"%PDF-1.4 not an image"), "cover.png")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "not a JPEG, PNG or WebP" in text(bad)
    good = marketer.post(f"{ROOM}/{article.id}/cover", data={
        "cover-csrf_token": csrf_token(page), "cover-alt_text": "A hand on a shoulder",
        "cover-image": (io.BytesIO(_png()), "cover.png")}, content_type="multipart/form-data")
    assert good.status_code == 302
    saved = _article("with-cover")
    assert saved.cover_image.startswith("articles/with-cover-cover-") and saved.cover_alt == "A hand on a shoulder"
    pagecache.clear()
    image = soup(text(client.get("/articles/with-cover"))).find("img", class_="article-cover")
    assert image["alt"] == "A hand on a shoulder"
    assert client.get(image["src"]).status_code == 200
    inline = marketer.post(f"{ROOM}/{article.id}/images", data={
        "image-csrf_token": csrf_token(page), "image-alt_text": "Thumb lock",
        "image-image": (io.BytesIO(_png()), "lock.png")}, content_type="multipart/form-data", follow_redirects=True)
    assert "![Thumb lock](/media/articles/with-cover-image-" in text(inline)


def test_visitors_see_only_published_articles_by_category_and_page_newest_first(app, client):
    technique = CategoryFactory(name="Stretching", slug="stretching")
    now = utcnow()
    for n in range(12):
        ArticleFactory(title=f"Stretch note {n:02d}", publish_at=now - timedelta(days=n + 1),
                       categories=[technique] if n % 2 == 0 else [])
    ArticleFactory(title="Draft note", state="draft", publish_at=None)
    ArticleFactory(title="Future note", publish_at=now + timedelta(days=3))
    first = text(client.get("/articles"))
    assert "12 articles, page 1 of 2" in first and "Draft note" not in first and "Future note" not in first
    assert first.index("Stretch note 00") < first.index("Stretch note 01")
    assert "Stretch note 11" in text(client.get("/articles?page=2"))
    by_category = text(client.get("/articles?category=stretching"))
    assert "6 articles" in by_category and "Stretch note 01" not in by_category
    assert client.get("/articles?category=nothing-here").status_code == 404
    assert client.get("/articles?page=999").status_code == 200  # a page past the end shows the last one


def test_an_article_links_its_neighbours_and_hides_retired_products(app, client):
    now = utcnow()
    on_sale = ProductFactory(title="On sale course")
    retired = ProductFactory(title="Retired course", is_active=False)
    older = ArticleFactory(title="Older one", publish_at=now - timedelta(days=3))
    middle = ArticleFactory(title="Middle one", publish_at=now - timedelta(days=2))
    ArticleFactory(title="Newer one", publish_at=now - timedelta(days=1))
    middle.related = [ArticleProduct(product_id=on_sale.id, position=0),
                      ArticleProduct(product_id=retired.id, position=1)]
    db.session.commit()
    html = text(client.get(f"/articles/{middle.slug}"))
    assert "Older: Older one" in html and "Newer: Newer one" in html
    assert "On sale course" in html and "Retired course" not in html
    assert "Newer:" not in text(client.get("/articles/" + _article_by_title("Newer one").slug))
    assert "Older:" not in text(client.get(f"/articles/{older.slug}"))


def _article_by_title(title):
    return db.session.scalar(select(Article).where(Article.title == title))


def test_the_feed_is_atom_with_absolute_links_and_only_published_articles(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://shop.example.com"
    ArticleFactory(title="Live one", slug="live-one", summary="Live summary")
    ArticleFactory(title="Draft one", state="draft", publish_at=None)
    response = client.get("/articles/feed.xml")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)  # noqa: S314 (the shop's own feed)
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}updated")
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Live one" and entry.findtext(f"{ATOM}summary") == "Live summary"
    assert entry.find(f"{ATOM}link").get("href") == "https://shop.example.com/articles/live-one"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Mary Sanderson"


def test_only_marketing_opens_the_articles_room(app):
    for role, status in (("customer", 403), ("staff", 403), ("marketing", 200), ("admin", 200)):
        client, _ = logged_in(app, role=role)
        assert client.get(ROOM).status_code == status, role
    marketer, _ = _marketer(app)
    nav = soup(text(marketer.get(ROOM))).find("nav", class_="office-nav")
    assert nav.find("a", href="/marketing/articles") is not None  # reachable from the back office's navigation


def test_an_article_page_carries_article_json_ld_and_og_tags_and_the_sitemap_lists_published_ones(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://shop.example.com"
    category = CategoryFactory(name="Stretching", slug="stretching")
    live = ArticleFactory(title="Assisted stretching </script><script>alert(1)</script>", slug="live-one",
                          summary="Contract-relax, simply.", author_name="Mary Sanderson", categories=[category])
    ArticleFactory(slug="a-draft", state="draft", publish_at=None)
    page = soup(text(client.get("/articles/live-one")))
    blocks = [json.loads(tag.string) for tag in page.find_all("script", type="application/ld+json")]
    [article] = [b for b in blocks if b["@type"] == "Article"]
    assert article["headline"] == live.title and article["author"] == {"@type": "Person", "name": "Mary Sanderson"}
    assert article["url"] == "https://shop.example.com/articles/live-one"
    assert article["datePublished"].startswith(live.publish_at.strftime("%Y-%m-%d"))
    assert article["articleSection"] == ["Stretching"]
    [crumbs] = [b for b in blocks if b["@type"] == "BreadcrumbList"]
    assert [i["name"] for i in crumbs["itemListElement"]] == ["Home", "Articles", live.title]
    assert page.find("meta", property="og:type")["content"] == "article"
    assert not [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
    sitemap = text(client.get("/sitemap.xml"))
    assert "https://shop.example.com/articles/live-one" in sitemap and "a-draft" not in sitemap
    assert "<loc>https://shop.example.com/articles</loc>" in sitemap


def test_an_address_taken_by_an_article_saved_at_the_same_moment_is_refused_with_a_409(app, monkeypatch):
    marketer, _ = _marketer(app)
    ArticleFactory(slug="taken-now")
    monkeypatch.setattr(articles_service, "_slug_for", lambda data, article: "taken-now")  # the check saw it free
    refused = post_form(marketer, f"{ROOM}/new", {"title": "Racing", "body_md": "x"})
    assert refused.status_code == 409 and "a moment ago" in text(refused)
    assert db.session.scalar(select(db.func.count(Article.id))) == 1
