"""Catalogue search: word prefixes, typos, all words, title hits first, on both databases; on PostgreSQL
the listing's search queries are answered by the full-text index of migration 0013."""

from datetime import timedelta

import pytest
from sqlalchemy import event, text

from shop.catalogue import search, seeding, services
from shop.catalogue.services import ListingQuery
from shop.core.timeutil import utcnow
from shop.extensions import db
from tests.factories import ProductFactory

INDEX = "ix_products_search_fts"


@pytest.fixture(autouse=True)
def _fresh_stamp(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_CHECK_SECONDS", 0)  # each search sees the catalogue as it is now


@pytest.fixture
def catalogue():
    now = utcnow()
    ProductFactory(title="Myofascial Release for the Neck", description_md="Hands-on.",
                   published_at=now - timedelta(days=3))
    ProductFactory(title="Assisted Stretching", description_md="Some myofascial techniques in passing.",
                   published_at=now - timedelta(days=2))
    ProductFactory(title="Trigger Point Therapy", description_md="Works the neck and jaw.",
                   published_at=now - timedelta(days=1))


def found(q):
    result = services.listing(ListingQuery(q=q), 24)
    return [p.title for p in result.products], result.searched


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stretching", {"Assisted Stretching"}),
        ("stretch", {"Assisted Stretching"}),  # a word start is enough
        ("MYOFASC", {"Myofascial Release for the Neck", "Assisted Stretching"}),
        ("fascial", set()),  # but only a word start
        ("myofascial neck", {"Myofascial Release for the Neck"}),  # every word must match
        ("neck jaw", {"Trigger Point Therapy"}),
        ("zzzqqq", set()),
    ],
)
def test_search_matches_word_starts_and_every_word(backend, catalogue, query, expected):
    titles, _ = found(query)
    assert set(titles) == expected


def test_a_misspelt_word_also_searches_the_closest_catalogue_word(backend, catalogue):
    titles, searched = found("myofacial neck")
    assert titles == ["Myofascial Release for the Neck"]
    assert searched == [["myofacial", "myofascial"], ["neck"]]


def test_title_hits_come_first_then_newest(backend, catalogue):
    assert found("myofascial")[0] == ["Myofascial Release for the Neck", "Assisted Stretching"]
    assert found("neck")[0] == ["Myofascial Release for the Neck", "Trigger Point Therapy"]


@pytest.mark.parametrize("query", ["'", '"neck"', "&|!:*()", "neck & !jaw", "a:* | b", "\\", "<->", "neck:*",
                                   "''; drop table products; --", "!!!", "%_", "(neck", "é ñ ü", "x" * 200])
def test_query_syntax_in_the_search_box_is_only_text(client, catalogue, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code in (200, 400)


def test_quoted_and_punctuated_words_still_find(backend, catalogue):
    assert found('"neck":* & (jaw)')[0] == ["Trigger Point Therapy"]


def test_a_word_that_is_not_plain_letters_and_digits_never_reaches_the_query_syntax(backend, catalogue):
    vocab = {"words": frozenset(["it's"]), "by_length": {}}
    condition, _, _ = search.search_condition(["it's"], vocab)
    assert db.session.execute(db.select(db.func.count()).where(condition)).scalar_one() == 0


def test_the_listing_search_reads_the_full_text_index_on_postgresql(backend):
    if backend != "postgresql":
        pytest.skip("the index is PostgreSQL's; SQLite reads the search text")
    seeding.load_bulk(3000)
    db.session.execute(text("ANALYZE products"))
    # a small table is cheaper to scan, or to read whole through the is_active index; with 3,000 rows and
    # sequential scans off, the planner takes the index the search can match, and the plan names ours only
    # if the query's expression is the index's
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "to_tsvector" in statement:
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        result = services.listing(ListingQuery(q="myofacial neck"), 24)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert result.total > 0 and result.searched[0] == ["myofacial", "myofascial"]
    assert statements
    for statement, parameters in statements:
        plan = "\n".join(db.session.connection().exec_driver_sql("EXPLAIN " + statement, parameters).scalars())
        assert INDEX in plan, plan
