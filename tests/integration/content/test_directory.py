"""Find a professional: a therapist creates a listing (nothing public until staff approve it), staff approve,
hide or reject it with a reason e-mailed to the owner; visitors find it by ZIP code within a radius (nearest
first, and not beyond it), by city or state, modality and name; a listing shows its owner's verified CE hours
with links to the certificates' public pages; the contact form e-mails the therapist without showing their
address, refuses robots and is rate-limited."""

from datetime import date, timedelta

from sqlalchemy import select

from shop.content import directory
from shop.content.models import LISTING_APPROVED, Listing
from shop.core.timeutil import utcnow
from shop.courses.models import Certificate
from shop.extensions import db
from shop.mail import worker
from shop.mail.models import OutboxMessage
from tests.factories import ApprovalFactory, UserFactory, course_with_lessons
from tests.support.desk_helpers import logged_in
from tests.support.forms import csrf_token, post_form, soup, text

pytest_plugins = ("tests.support.smtp",)  # the smtp_server fixture

PORTLAND_ME = {"practice_name": "Casco Bay Soft Tissue", "full_name": "Dana Whitcomb", "city": "Portland",
               "state": "ME", "zip_code": "04101", "modalities": ["soft-tissue-release", "trigger-point"],
               "phone": "207 555 0110", "bio": "Sports and desk-worker clients."}


def _listing(user, **fields):
    data = {**PORTLAND_ME, **fields}
    data["modalities"] = tuple(data["modalities"])
    listing = directory.save_listing(user, directory.ListingInput(**data))
    listing.status = LISTING_APPROVED
    db.session.commit()
    return listing


def _mails(to):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to)).all()


def test_a_listing_is_public_only_once_staff_approve_it_and_a_rejection_reason_is_mailed(app, client):
    therapist, owner = logged_in(app, role="customer", email="dana@example.com")
    made = post_form(therapist, "/account/listing", PORTLAND_ME, page="/account/listing")
    assert made.status_code == 302, text(made)[:400]
    listing = db.session.scalar(select(Listing))
    assert listing.status == "pending" and listing.latitude == 43.6606
    assert client.get(f"/professionals/{listing.slug}").status_code == 404
    assert "Casco Bay" not in text(client.get("/professionals?zip=04101"))

    staff, _ = logged_in(app, role="staff")
    assert "Casco Bay Soft Tissue" in text(staff.get("/backoffice/directory"))
    no_reason = post_form(staff, f"/backoffice/directory/{listing.id}", {"decision": "reject", "reason": ""})
    assert no_reason.status_code == 422 and "Give the reason" in text(no_reason)
    post_form(staff, f"/backoffice/directory/{listing.id}", {"decision": "reject",
                                                             "reason": "Add the city your practice is in."})
    [mail] = _mails("dana@example.com")
    assert "Add the city your practice is in." in mail.text_body
    assert client.get(f"/professionals/{listing.slug}").status_code == 404
    assert "Add the city your practice is in." in text(therapist.get("/account/listing"))

    post_form(therapist, "/account/listing", PORTLAND_ME, page="/account/listing")  # sent again
    post_form(staff, f"/backoffice/directory/{listing.id}", {"decision": "approve", "reason": ""})
    page = client.get(f"/professionals/{listing.slug}")
    assert page.status_code == 200 and "Dana Whitcomb" in text(page)
    assert "dana@example.com" not in text(page)  # the owner's address is never shown
    assert "Casco Bay Soft Tissue" in text(client.get("/professionals?zip=04101"))

    post_form(therapist, "/account/listing/withdraw", {}, page="/account/listing")
    assert client.get(f"/professionals/{listing.slug}").status_code == 404


def test_a_zip_search_finds_listings_within_the_radius_nearest_first_and_none_beyond(app, client):
    _listing(UserFactory(), practice_name="South Portland Studio", city="South Portland", zip_code="04106")
    _listing(UserFactory(), practice_name="Brunswick Bodywork", city="Brunswick", zip_code="04011")  # ~22 mi
    _listing(UserFactory(), practice_name="Back Bay Therapy", city="Boston", state="MA", zip_code="02116")  # ~100
    within_10 = text(client.get("/professionals?zip=04101&radius=10"))
    assert "South Portland Studio" in within_10 and "Brunswick" not in within_10 and "Back Bay" not in within_10
    within_25 = soup(text(client.get("/professionals?zip=04101&radius=25")))
    names = [a.get_text() for a in within_25.select(".directory-card__name a")]
    assert names == ["South Portland Studio", "Brunswick Bodywork"]  # nearest first
    assert "Back Bay Therapy" in text(client.get("/professionals?zip=04101&radius=100"))
    unknown = client.get("/professionals?zip=00000")
    assert unknown.status_code == 422 and "could not find the ZIP code" in text(unknown)
    assert client.get("/professionals?zip=%00abc&radius=9999&page=-1").status_code in (200, 422)
    assert client.get("/professionals", query_string={"zip": "٠٤١٠١"}).status_code == 422  # not 0-9: unknown


def test_visitors_search_by_state_city_modality_and_name(app, client):
    _listing(UserFactory(), practice_name="Casco Bay Soft Tissue")
    _listing(UserFactory(), practice_name="Back Bay Therapy", full_name="Priya Natarajan", city="Boston",
             state="MA", zip_code="02116", modalities=["myofascial-release"])
    assert "Back Bay" in text(client.get("/professionals?place=MA")) and \
        "Casco" not in text(client.get("/professionals?place=Massachusetts"))
    assert "Casco Bay" in text(client.get("/professionals?place=portland"))
    assert "Back Bay" not in text(client.get("/professionals?modality=trigger-point"))
    assert "Back Bay" in text(client.get("/professionals?name=natarajan"))


def test_a_listing_shows_its_owners_verified_ce_hours_with_links_to_the_certificates(app, client):
    owner = UserFactory(full_name="Dana Whitcomb")
    listing = _listing(owner)
    course, _ = course_with_lessons(lessons=1, title="Trigger Point Therapy: Neck", ce_hours=8)
    approval = ApprovalFactory(product=course)
    kept = Certificate(number="STR-TEST-0001", user_id=owner.id, product_id=course.id, approval_id=approval.id,
                       participant_name="Dana Whitcomb", approved_title="Trigger Point Therapy: Neck", ce_hours=8,
                       course_type="home study", body="NCBTMB", provider_name="STR", provider_number="1",
                       provider_contact="x", completed_on=date.today())
    revoked = Certificate(number="STR-TEST-0002", user_id=owner.id, product_id=course.id,
                          approval_id=ApprovalFactory(product=course).id,
                          participant_name="Dana Whitcomb", approved_title="Old course", ce_hours=4,
                          course_type="home study", body="NCBTMB", provider_name="STR", provider_number="1",
                          provider_contact="x", completed_on=date.today() - timedelta(days=400),
                          revoked_at=utcnow(), revoked_reason="issued in error")
    db.session.add_all([kept, revoked])
    db.session.commit()
    page = soup(text(client.get(f"/professionals/{listing.slug}")))
    verified = page.find("section", class_="verified").get_text(" ", strip=True)
    assert "Completed 8 CE hours with us" in verified and "Old course" not in verified
    assert page.find("a", href="/certificates/STR-TEST-0001") is not None
    assert "Completed 8 CE hours with us" in text(client.get("/professionals?zip=04101"))


def test_the_contact_form_mails_the_therapist_hides_their_address_and_stops_robots_and_floods(app, client):
    owner = UserFactory(email="dana@example.com")
    listing = _listing(owner)
    url = f"/professionals/{listing.slug}"
    message = {"name": "Pat Client", "email": "pat@example.net", "phone": "", "message": "Do you see runners?"}
    sent = post_form(client, f"{url}/contact", message, page=url)
    assert sent.status_code == 302 and "dana@example.com" not in text(client.get(url))
    [mail] = _mails("dana@example.com")
    assert "Do you see runners?" in mail.text_body and "pat@example.net" in mail.text_body
    robot = post_form(client, f"{url}/contact", {**message, "homepage": "http://spam.test"}, page=url)
    assert robot.status_code == 302 and len(_mails("dana@example.com")) == 1  # thanked, nothing sent
    bad = post_form(client, f"{url}/contact", {**message, "email": "not an address"}, page=url)
    assert bad.status_code == 422 and len(_mails("dana@example.com")) == 1
    for _ in range(4):
        post_form(client, f"{url}/contact", message, page=url)
    limited = post_form(client, f"{url}/contact", message, page=url)
    assert limited.status_code == 429 and "several messages" in text(limited)
    assert len(_mails("dana@example.com")) == 5
    assert client.post(f"{url}/contact", data=message).status_code == 400  # no CSRF token


def test_a_zip_code_in_another_state_or_a_missing_field_is_refused_with_messages(app):
    therapist, _ = logged_in(app, role="customer")
    wrong = post_form(therapist, "/account/listing", {**PORTLAND_ME, "state": "TX"}, page="/account/listing")
    assert wrong.status_code == 422 and "That ZIP code is in Maine, not Texas" in text(wrong)
    empty = post_form(therapist, "/account/listing", {"state": "ME"}, page="/account/listing")
    assert empty.status_code == 422 and "Enter your practice" in text(empty) and "Choose at least one" in text(empty)
    assert db.session.scalar(select(db.func.count(Listing.id))) == 0


def test_the_directory_is_reachable_from_the_home_page_the_navigation_and_the_account_page(app, client):
    home = soup(text(client.get("/")))
    assert home.find("a", href="/professionals") is not None
    assert home.find("form", attrs={"action": "/professionals"}) is not None
    customer, _ = logged_in(app, role="customer")
    assert soup(text(customer.get("/account"))).find("a", href="/account/listing") is not None
    staff, _ = logged_in(app, role="staff")
    assert soup(text(staff.get("/backoffice/directory"))).find("a", href="/backoffice/directory") is not None


def test_the_sitemap_lists_approved_listings_only(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://shop.example.com"
    shown = _listing(UserFactory())
    waiting = directory.save_listing(UserFactory(), directory.ListingInput(
        practice_name="Waiting Room", full_name="W", city="Portland", state="ME", zip_code="04101",
        modalities=("swedish",)))
    sitemap = text(client.get("/sitemap.xml"))
    assert f"https://shop.example.com/professionals/{shown.slug}" in sitemap
    assert waiting.slug not in sitemap and "<loc>https://shop.example.com/professionals</loc>" in sitemap


def test_a_visitors_message_reaches_the_therapist_through_a_real_smtp_server_and_never_shows_their_address(
        app, client, smtp_server):
    listing = _listing(UserFactory(email="dana.private@example.com"))
    url = f"/professionals/{listing.slug}"
    assert post_form(client, f"{url}/contact", {"name": "Pat Client", "email": "pat@example.net",
                                                "message": "Do you see runners?"}, page=url).status_code == 302
    assert worker.send_due() == (1, 0)
    [received] = smtp_server.wait_for(1)
    assert received["To"] == "dana.private@example.com"
    body = next(part.get_payload(decode=True).decode() for part in received.walk()
                if part.get_content_type() == "text/plain")
    assert "Do you see runners?" in body and "pat@example.net" in body
    for page in (url, "/professionals?zip=04101"):
        assert "dana.private@example.com" not in text(client.get(page))


def test_a_second_listing_saved_at_the_same_moment_is_refused_with_a_409_not_a_server_error(app, monkeypatch):
    therapist, owner = logged_in(app, role="customer")
    assert post_form(therapist, "/account/listing", PORTLAND_ME, page="/account/listing").status_code == 302
    page = text(therapist.get("/account/listing"))
    monkeypatch.setattr(directory, "listing_of", lambda user: None)  # as a double click's second request sees it
    second = therapist.post("/account/listing", data={**PORTLAND_ME, "practice_name": "Second",
                                                      "csrf_token": csrf_token(page)})
    assert second.status_code == 409 and "at the same moment" in text(second)
    assert [row.practice_name for row in db.session.scalars(select(Listing))] == ["Casco Bay Soft Tissue"]
