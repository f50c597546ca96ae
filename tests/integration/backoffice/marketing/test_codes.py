"""Single-use code batches: unique across the shop, a readable alphabet, listed with uses, exported as CSV."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from shop.core.models import AuditEntry
from shop.extensions import db
from shop.promotions import admin_codes
from shop.promotions.models import PromotionCode
from tests.support.forms import post_form
from tests.support.marketing import create_promotion, log_in_marketer, page_text

CODE_RE = re.compile(r"^SPRING-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$")  # 50 bits: not guessable


@pytest.fixture
def marketer(client):
    return log_in_marketer(client)


def _generate(client, promotion, count="200", prefix="spring"):
    page = f"/marketing/promotions/{promotion.id}"
    return post_form(client, f"{page}/codes", {"count": count, "prefix": prefix}, page=page)


def test_a_batch_of_unique_single_use_codes_then_csv(client, marketer):
    promotion = create_promotion(client, name="Spring mailing", unlock="code", code="SPRING")
    response = _generate(client, promotion, "200")
    assert response.status_code == 302 and response.headers["Location"].endswith("#codes")
    assert _generate(client, promotion, "150").status_code == 302
    codes = db.session.scalars(select(PromotionCode).filter_by(promotion_id=promotion.id, max_uses=1)
                               .order_by(PromotionCode.id)).all()  # as the page lists them
    assert len(codes) == 350 and len({c.code for c in codes}) == 350
    assert all(CODE_RE.match(c.code) for c in codes), [c.code for c in codes if not CODE_RE.match(c.code)][:3]
    assert len({c.batch for c in codes}) == 2  # one label per batch
    entries = db.session.scalars(select(AuditEntry.summary).filter_by(action="promotion.codes")).all()
    assert sorted(entries)[0].startswith("Generated 150 single-use codes")

    page = page_text(client.get(f"/marketing/promotions/{promotion.id}"))
    assert "All codes (351)" in page and codes[0].code in page and "Single-use" in page
    assert "codes_page=2#codes" in page  # 25 a page
    assert codes[-1].code in page_text(client.get(f"/marketing/promotions/{promotion.id}?codes_page=15"))

    export = client.get(f"/marketing/promotions/{promotion.id}/codes.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert export.headers["Content-Disposition"] == f'attachment; filename="promotion-{promotion.id}-codes.csv"'
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert len(rows) == 351 and rows[0]["code"] == "SPRING" and rows[0]["kind"] == "shared"
    assert {r["code"] for r in rows[1:]} == {c.code for c in codes}
    assert all(r["max_uses"] == "1" and r["uses"] == "0" for r in rows[1:])


def test_codes_are_unique_against_existing_codes_too(app, client, marketer, monkeypatch):
    promotion = create_promotion(client, unlock="code")
    db.session.add(PromotionCode(promotion_id=promotion.id, code="AAAAA", max_uses=None))
    db.session.commit()
    draws = iter(["AAAAA", "BBBBB", "BBBBB", "CCCCC"])  # a taken code, then a duplicate within the batch
    monkeypatch.setattr(admin_codes, "_random_code", lambda prefix, length: next(draws))
    admin_codes.generate_codes(promotion, 2)
    assert sorted(db.session.scalars(select(PromotionCode.code))) == ["AAAAA", "BBBBB", "CCCCC"]


@pytest.mark.parametrize(("count", "prefix", "message"), [
    ("0", "", "Generate from 1 to 5,000 codes at a time."),
    ("5001", "", "Generate from 1 to 5,000 codes at a time."),
    ("lots", "", "Enter a whole number, like 3."),
    ("", "", "Enter how many codes to generate."),
    ("10", "two words", "A prefix is up to 20 letters and digits"),
])
def test_bad_batch_requests_are_422_and_generate_nothing(client, marketer, count, prefix, message):
    promotion = create_promotion(client, unlock="code")
    response = _generate(client, promotion, count, prefix)
    assert response.status_code == 422 and message in page_text(response)
    assert db.session.scalar(select(func.count(PromotionCode.id))) == 0


def test_an_automatic_promotion_has_no_codes(client, marketer):
    promotion = create_promotion(client)
    response = _generate(client, promotion, "10", "")
    assert response.status_code == 409 and "applies automatically" in page_text(response)
    assert db.session.scalar(select(func.count(PromotionCode.id))) == 0


def test_a_batch_code_cannot_be_reused_as_a_shared_code(client, marketer):
    promotion = create_promotion(client, unlock="code")
    _generate(client, promotion, "1", "conf")
    code = db.session.scalar(select(PromotionCode.code))
    response = post_form(client, "/marketing/promotions/new",
                         {**_form(), "name": "Other", "unlock": "code", "code": code.lower()})
    assert response.status_code == 422 and f"The code {code} is already used by" in page_text(response)


def _form():
    from tests.support.marketing import promo_form

    return promo_form()
