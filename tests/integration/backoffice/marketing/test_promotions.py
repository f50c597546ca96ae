"""Marketing's promotion pages: create every benefit through the form, validation, schedule in the shop's
time zone, state actions, optimistic locking, duplicates, shared codes, the list and its filters, audit."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from shop.core.models import AuditEntry
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.promotions.models import (
    ROLE_BUNDLE,
    ROLE_EXCLUDE,
    ROLE_TARGET,
    Promotion,
    PromotionCode,
)
from tests.factories import CategoryFactory, ProductFactory
from tests.support import forms
from tests.support.forms import csrf_token, post_form
from tests.support.marketing import NEW, create_promotion, log_in_marketer, page_text, promo_form


def post_action(client, promotion, action, **data):
    page = f"/marketing/promotions/{promotion.id}"
    return post_form(client, f"{page}/{action}", data, page=page)


def form_values(html):
    """What the browser would submit from the page's promotion form (class `promo-form`)."""
    return forms.form_values(forms.find_form(html, "promo-form"))


def edit(client, promotion, version=None, **overrides):
    """Post the edit form as the browser shows it, with some fields changed (and an older version if given)."""
    url = f"/marketing/promotions/{promotion.id}/edit"
    html = page_text(client.get(url))
    data = form_values(html)
    data.update({key: value for key, value in overrides.items()})
    data["csrf_token"] = csrf_token(html)
    if version is not None:
        data["version_id"] = str(version)
    return client.post(url, data=data)


@pytest.fixture
def marketer(client):
    return log_in_marketer(client)


# ---- creating each benefit ---------------------------------------------------------------------

def test_create_percent_off_is_a_draft_with_an_audit_entry(client, marketer):
    promotion = create_promotion(client, name="Spring Sale", percent="12.5")
    assert promotion.state == "draft" and promotion.benefit_kind == "percent" and promotion.basis_points == 1250
    assert promotion.applies_to_everything and promotion.channel_web and promotion.channel_phone
    page = page_text(client.get(f"/marketing/promotions/{promotion.id}"))
    assert "Spring Sale" in page and "12.5% off" in page and "Draft" in page
    assert "promotion.create" in page and marketer.email in page  # the history on the page
    entry = db.session.scalars(select(AuditEntry).filter_by(entity_type="promotion",
                                                            entity_id=str(promotion.id))).one()
    assert entry.actor_id == marketer.id and "12.5% off" in entry.summary


def test_create_amount_off_for_chosen_products_with_exclusions_and_conditions(client, marketer):
    course, other, excluded = ProductFactory(), ProductFactory(), ProductFactory()
    category = CategoryFactory()
    promotion = create_promotion(
        client, name="Ten off", benefit_kind="amount", amount_off="$10", percent="", applies_to="chosen",
        target_product_ids=[str(course.id), str(other.id)], target_category_ids=[str(category.id)],
        target_kinds=["book"], exclude_product_ids=[str(excluded.id)], exclude_kinds=["membership"],
        min_subtotal="50", min_quantity="2", first_order_only="y", email_domains="@Clinic.org\nphysio.example",
        customer_emails="Pat@Example.com, lee@example.com", max_redemptions="100", max_per_customer="1",
        budget="1,000.50", channels="web")
    assert promotion.amount_cents == 1000 and not promotion.applies_to_everything
    assert {(p.product_id, p.role) for p in promotion.products} == {
        (course.id, ROLE_TARGET), (other.id, ROLE_TARGET), (excluded.id, ROLE_EXCLUDE)}
    assert [(c.category_id, c.role) for c in promotion.categories] == [(category.id, ROLE_TARGET)]
    assert promotion.target_kinds == "book" and promotion.exclude_kinds == "membership"
    assert promotion.min_subtotal_cents == 5000 and promotion.min_quantity == 2 and promotion.first_order_only
    assert promotion.email_domains.split("\n") == ["clinic.org", "physio.example"]
    assert sorted(c.email for c in promotion.customers) == ["lee@example.com", "pat@example.com"]
    assert (promotion.max_redemptions, promotion.max_per_customer, promotion.budget_cents) == (100, 1, 100050)
    assert promotion.channel_web and not promotion.channel_phone


def test_create_fixed_price_set(client, marketer):
    first, second = ProductFactory(price_cents=9900), ProductFactory(price_cents=4900)
    promotion = create_promotion(
        client, name="Neck and back set", benefit_kind="fixed_price", percent="", fixed_price="120",
        **{"bundle-0-product_id": str(first.id), "bundle-0-quantity": "1",
           "bundle-1-product_id": str(second.id), "bundle-1-quantity": "2", "bundle-2-product_id": ""})
    assert promotion.amount_cents == 12000
    assert sorted((p.product_id, p.role, p.quantity) for p in promotion.products) == [
        (first.id, ROLE_BUNDLE, 1), (second.id, ROLE_BUNDLE, 2)]
    edit_page = page_text(client.get(f"/marketing/promotions/{promotion.id}/edit"))
    shown = forms.form_values(forms.find_form(edit_page, "promo-form"))  # the set comes back on the form
    assert {value for name, values in shown.items() if name.startswith("bundle-") and name.endswith("-product_id")
            for value in values if value} == {str(first.id), str(second.id)}


def test_create_buy_x_get_y_and_free_shipping(client, marketer):
    bogo = create_promotion(client, name="Buy 2 get 1 half price", benefit_kind="buy_x_get_y", percent="",
                            buy_quantity="2", get_quantity="1", get_discount="50")
    assert (bogo.buy_quantity, bogo.get_quantity, bogo.basis_points) == (2, 1, 5000)
    free = create_promotion(client, name="Free shipping", benefit_kind="free_shipping", percent="")
    assert free.benefit_kind == "free_shipping" and free.basis_points == 0 and free.amount_cents == 0


def test_schedule_is_entered_in_the_shop_time_zone_and_stored_as_utc(client, marketer):
    promotion = create_promotion(client, starts_local="2031-07-01T09:00", ends_local="2031-12-01T09:00")
    assert promotion.starts_at == datetime(2031, 7, 1, 13, 0)  # New York in summer: UTC-4
    assert promotion.ends_at == datetime(2031, 12, 1, 14, 0)  # in winter: UTC-5
    page = page_text(client.get(f"/marketing/promotions/{promotion.id}/edit"))
    assert (forms.input_value(page, "starts_local"), forms.input_value(page, "ends_local")) == (
        "2031-07-01T09:00", "2031-12-01T09:00")


# ---- validation ---------------------------------------------------------------------------------

INVALID = [
    ({"name": ""}, "Give the promotion a name."),
    ({"percent": "0"}, "Enter a percentage above 0 and up to 100"),
    ({"percent": "120"}, "Enter a percentage above 0 and up to 100"),
    ({"percent": "ten"}, "Enter a percentage like 15"),
    ({"benefit_kind": "amount", "amount_off": "12.345"}, "Enter an amount in dollars and cents"),
    ({"benefit_kind": "amount", "amount_off": ""}, "Enter the amount off in dollars"),
    ({"benefit_kind": "fixed_price", "fixed_price": "50"}, "at least 2 different products"),
    ({"benefit_kind": "buy_x_get_y", "buy_quantity": "0", "get_quantity": "1"}, "Buy is a whole number from 1"),
    ({"benefit_kind": "buy_x_get_y", "buy_quantity": "2", "get_quantity": ""}, "Customers get at least 1 item."),
    ({"starts_local": "2031-07-02T09:00", "ends_local": "2031-07-01T09:00"}, "The end must be after the start."),
    ({"starts_local": "next tuesday"}, "Enter a date and time"),
    ({"ends_local": "2001-01-01T00:00"}, "The end has already passed."),
    ({"applies_to": "chosen"}, "Choose at least one product, category or kind"),
    ({"email_domains": "not a domain"}, "Not a domain: not"),
    ({"customer_emails": "pat-at-example"}, "Not an email address: pat-at-example"),
    ({"max_redemptions": "0"}, "Total redemptions is a whole number from 1"),
    ({"budget": "0"}, "Budget: leave it empty for no limit"),
    ({"priority": "99999999999999999999"}, "Priority is a whole number from -1000 to 1000."),
    ({"code": "NEWS15"}, "Choose “Unlocked by a code”"),
    ({"unlock": "code", "code": "no spaces please"}, "A code is 3 to 40 letters, digits or dashes"),
    ({"channels": "fax"}, "Not a valid choice"),
    ({"benefit_kind": "bitcoin"}, "Not a valid choice"),
]


@pytest.mark.parametrize(("overrides", "message"), INVALID, ids=[m[:30] for _, m in INVALID])
def test_invalid_input_is_422_with_the_message_and_nothing_is_saved(client, marketer, overrides, message):
    response = post_form(client, NEW, promo_form(**overrides))
    page = page_text(response)
    assert response.status_code == 422
    assert message in page.replace("&#34;", '"').replace("&#39;", "'")
    assert "Please check the highlighted fields." in page and 'aria-invalid="true"' in page
    assert db.session.scalar(select(func.count(Promotion.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_fixed_price_must_be_below_the_products_separately(client, marketer):
    first, second = ProductFactory(price_cents=5000), ProductFactory(price_cents=5000)
    response = post_form(client, NEW, promo_form(
        benefit_kind="fixed_price", fixed_price="100", **{"bundle-0-product_id": str(first.id),
                                                          "bundle-1-product_id": str(second.id)}))
    assert response.status_code == 422 and "below what the products cost separately ($100.00)" in page_text(response)


def test_form_has_a_label_for_every_field_and_shows_the_stacking_rules(client, marketer):
    from shop.pricing.promotions import STACKING_RULES

    page = page_text(client.get(NEW))
    for rule in STACKING_RULES:
        assert rule in page.replace("&#39;", "'")
    ids, labelled = forms.labelled_ids(forms.find_form(page, "promo-form"))
    ids -= {"csrf_token", "version_id"}
    assert ids and ids <= labelled, ids - labelled


# ---- editing: optimistic locking, codes, audit --------------------------------------------------

def test_edit_saves_and_records_what_changed(client, marketer):
    promotion = create_promotion(client)
    response = edit(client, promotion, name="Summer Sale", percent="20")
    assert response.status_code == 302
    db.session.refresh(promotion)
    assert promotion.name == "Summer Sale" and promotion.basis_points == 2000
    entry = db.session.scalars(select(AuditEntry).filter_by(action="promotion.update")).one()
    assert entry.summary == "name, percentage"


def test_a_stale_edit_is_refused_with_a_clear_message(client, marketer):
    promotion = create_promotion(client)
    loaded_version = promotion.version_id
    assert edit(client, promotion, name="First edit").status_code == 302
    db.session.refresh(promotion)
    response = edit(client, promotion, version=loaded_version, name="Second, stale edit")
    assert response.status_code == 409
    assert "Someone else changed this promotion; reload" in page_text(response)
    db.session.refresh(promotion)
    assert promotion.name == "First edit"


def test_state_changes_make_an_open_form_stale_too(client, marketer):
    promotion = create_promotion(client)
    version = promotion.version_id
    assert post_action(client, promotion, "activate").status_code == 302
    db.session.refresh(promotion)
    assert edit(client, promotion, version=version, name="Late").status_code == 409


def test_shared_code_is_stored_upper_case_and_unique_across_the_shop(client, marketer):
    first = create_promotion(client, name="Newsletter", unlock="code", code=" news15 ")
    assert [c.code for c in first.codes] == ["NEWS15"] and first.codes[0].max_uses is None
    response = post_form(client, NEW, promo_form(name="Another", unlock="code", code="News15"))
    assert response.status_code == 422
    assert "The code NEWS15 is already used by “Newsletter”. Choose another." in page_text(response)
    assert db.session.scalar(select(func.count(Promotion.id))) == 1
    # renaming keeps the one code row; its own code is not "taken"
    assert edit(client, first, code="NEWS15").status_code == 302
    assert edit(client, first, code="news20").status_code == 302
    assert [c.code for c in db.session.scalars(select(PromotionCode))] == ["NEWS20"]


def test_a_used_shared_code_cannot_be_removed(client, marketer):
    promotion = create_promotion(client, unlock="code", code="USED1")
    code = promotion.codes[0]
    code.use_count = 3
    db.session.commit()
    response = edit(client, promotion, code="")
    assert response.status_code == 422 and "USED1 has been used, so it stays" in page_text(response)


# ---- state actions ------------------------------------------------------------------------------

def test_activate_pause_end_with_audit_and_history(client, marketer):
    promotion = create_promotion(client)
    response = post_action(client, promotion, "activate")
    assert response.status_code == 302
    assert "Spring Sale is live." in page_text(client.get(response.headers["Location"]))
    db.session.refresh(promotion)
    assert promotion.state == "active"
    assert post_action(client, promotion, "pause").status_code == 302
    db.session.refresh(promotion)
    assert promotion.state == "paused"
    assert post_action(client, promotion, "activate").status_code == 302
    assert post_action(client, promotion, "end").status_code == 302
    db.session.refresh(promotion)
    assert promotion.state == "ended"
    refused = post_action(client, promotion, "activate")
    assert refused.status_code == 409 and "duplicate it instead" in page_text(refused)
    actions = db.session.scalars(select(AuditEntry.action).filter_by(entity_id=str(promotion.id))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["promotion.create", "promotion.activate", "promotion.pause", "promotion.activate",
                       "promotion.end"]
    page = page_text(client.get(f"/marketing/promotions/{promotion.id}"))
    assert page.count("promotion.activate") == 2 and "Ended" in page


def test_a_future_start_is_scheduled(client, marketer):
    promotion = create_promotion(client, starts_local="2031-07-01T09:00")
    response = post_action(client, promotion, "activate")
    assert "is scheduled: it starts on July 1, 2031 at 09:00" in page_text(client.get(response.headers["Location"]))


def test_a_code_promotion_needs_a_code_before_it_goes_live(client, marketer):
    promotion = create_promotion(client, unlock="code")
    response = post_action(client, promotion, "activate")
    assert response.status_code == 409 and "give it a shared code or generate codes" in page_text(response)
    db.session.refresh(promotion)
    assert promotion.state == "draft"


def test_pause_needs_an_active_promotion(client, marketer):
    promotion = create_promotion(client)
    response = post_action(client, promotion, "pause")
    assert response.status_code == 409 and "Only an active promotion can be paused." in page_text(response)


def test_state_changes_need_the_csrf_token(client, marketer):
    promotion = create_promotion(client)
    assert client.post(f"/marketing/promotions/{promotion.id}/activate").status_code == 400
    db.session.refresh(promotion)
    assert promotion.state == "draft"


def test_duplicate_makes_a_draft_copy_without_codes(client, marketer):
    product = ProductFactory()
    original = create_promotion(client, unlock="code", code="ORIG", applies_to="chosen",
                                target_product_ids=[str(product.id)], customer_emails="pat@example.com")
    post_action(client, original, "activate")
    response = post_action(client, original, "duplicate")
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit")
    copy = db.session.scalars(select(Promotion).where(Promotion.id != original.id)).one()
    assert copy.name == "Copy of Spring Sale" and copy.state == "draft" and copy.codes.count() == 0
    assert [p.product_id for p in copy.products] == [product.id] and copy.customers[0].email == "pat@example.com"
    assert db.session.scalar(select(func.count(AuditEntry.id)).filter_by(entity_id=str(copy.id))) == 1


# ---- the list -----------------------------------------------------------------------------------

def _promotion(name, state="active", starts=None, ends=None, **values):
    promotion = Promotion(name=name, state=state, starts_at=starts, ends_at=ends, benefit_kind="percent",
                          basis_points=1000, **values)
    db.session.add(promotion)
    db.session.commit()
    return promotion


def test_list_shows_derived_statuses_and_filters_by_them(client, marketer):
    now = utcnow()
    _promotion("Draft one", state="draft")
    _promotion("Scheduled one", starts=now + timedelta(days=2))
    _promotion("Live one", starts=now - timedelta(days=1), ends=now + timedelta(days=1), max_redemptions=50)
    _promotion("Paused one", state="paused")
    _promotion("Over one", ends=now - timedelta(hours=1))
    _promotion("Ended one", state="ended")
    page = page_text(client.get("/marketing/promotions"))
    for name in ("Draft one", "Scheduled one", "Live one", "Paused one", "Over one", "Ended one"):
        assert name in page
    assert "0 / 50" in page and "Automatic" in page
    expected = {"draft": {"Draft one"}, "scheduled": {"Scheduled one"}, "live": {"Live one"},
                "paused": {"Paused one"}, "ended": {"Over one", "Ended one"}}
    names = {"Draft one", "Scheduled one", "Live one", "Paused one", "Over one", "Ended one"}
    for status, shown in expected.items():
        page = page_text(client.get(f"/marketing/promotions?status={status}"))
        assert {n for n in names if f">{n}</a>" in page} == shown, status
    assert client.get("/marketing/promotions?status=nonsense&page=-4").status_code == 200


def test_list_query_count_does_not_grow_with_promotions(client, marketer, count_queries):
    def queries():
        client.get("/marketing/promotions")
        with count_queries() as counter:
            assert client.get("/marketing/promotions").status_code == 200
        return counter.count

    for n in range(3):
        _promotion(f"Few {n}", requires_code=bool(n % 2))
    few = queries()
    for n in range(30):
        promotion = _promotion(f"Many {n}", requires_code=bool(n % 2))
        if n % 2:
            db.session.add(PromotionCode(promotion_id=promotion.id, code=f"MANY{n}"))
    db.session.commit()
    assert queries() == few


def test_forms_carry_csrf_tokens(client, marketer):
    promotion = create_promotion(client)
    page = page_text(client.get(f"/marketing/promotions/{promotion.id}"))
    assert csrf_token(page)
    assert len(forms.inputs(page, "csrf_token")) >= 4  # activate, end, duplicate, and the header's log out


def test_saving_the_edit_form_unchanged_changes_nothing(client, marketer):
    first, second, excluded = ProductFactory(price_cents=9900), ProductFactory(price_cents=4900), ProductFactory()
    category = CategoryFactory()
    promotion = create_promotion(
        client, name="Everything set", benefit_kind="fixed_price", percent="", fixed_price="99.50",
        starts_local="2031-03-01T08:30", ends_local="2031-04-01T17:00", unlock="code", code="SET1",
        stacking="exclusive", priority="7", channels="phone", is_public=None, applies_to="chosen",
        target_category_ids=[str(category.id)], exclude_product_ids=[str(excluded.id)], exclude_kinds=["book"],
        min_subtotal="25", min_quantity="2", first_order_only="y", email_domains="clinic.org",
        customer_emails="pat@example.com", max_redemptions="10", max_per_customer="2", budget="500",
        **{"bundle-0-product_id": str(first.id), "bundle-1-product_id": str(second.id), "bundle-1-quantity": "3"})
    from shop.promotions.admin import _snapshot

    before = _snapshot(promotion)
    assert edit(client, promotion).status_code == 302
    db.session.expire_all()
    assert _snapshot(db.session.get(Promotion, promotion.id)) == before
    entry = db.session.scalars(select(AuditEntry).filter_by(action="promotion.update")).one()
    assert entry.summary == "saved without changes"


def test_an_edit_racing_another_save_is_refused_by_the_version_check(app, client, marketer):
    """Both marketers loaded version N; the other one saved first (between our check and our write)."""
    from sqlalchemy import update

    from shop.backoffice.marketing.forms import PromotionForm, initial_data
    from shop.promotions import admin as admin_services

    promotion = create_promotion(client)
    version = promotion.version_id
    with app.test_request_context():
        data = PromotionForm(data=initial_data(promotion, "UTC")).to_input()
    data.name = "Mine"
    with db.engine.begin() as other:  # the other marketer's save, committed meanwhile
        other.execute(update(Promotion).where(Promotion.id == promotion.id)
                      .values(name="Theirs", version_id=Promotion.version_id + 1))
    with pytest.raises(admin_services.StaleEdit):
        admin_services.update(promotion, data, "UTC", version)
    db.session.expire_all()
    assert db.session.get(Promotion, promotion.id).name == "Theirs"
    assert db.session.scalar(select(func.count(AuditEntry.id)).filter_by(action="promotion.update")) == 0


def test_an_edit_without_its_version_is_refused_as_stale(client, marketer):
    promotion = create_promotion(client)
    response = post_form(client, f"/marketing/promotions/{promotion.id}/edit", promo_form(name="No version"))
    assert response.status_code == 409 and "Someone else changed this promotion" in page_text(response)
    response = post_form(client, f"/marketing/promotions/{promotion.id}/edit", {"name": "0"})
    assert response.status_code in (409, 422)
