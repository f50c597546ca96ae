"""The members list: every membership newest first, by state, by e-mail or name, a page at a time."""

from datetime import timedelta

from shop.core.timeutil import utcnow
from tests.factories import MemberFactory, MembershipInvoiceFactory, UserFactory
from tests.support.desk_helpers import logged_in, page
from tests.support.forms import main_of

LIST = "/backoffice/members/"


def _rows(html):
    table = main_of(html).find("table")
    return [] if table is None else [" ".join(row.get_text().split()) for row in table.find("tbody").find_all("tr")]


def _sample():
    now = utcnow()
    active = MemberFactory(user=UserFactory(email="ann@example.com", full_name="Ann Active"),
                           created_at=now - timedelta(days=5))
    MembershipInvoiceFactory(membership=active)
    MemberFactory(user=UserFactory(email="pat@example.com", full_name="Pat Pastdue"), state="past_due",
                  created_at=now - timedelta(days=4))
    MemberFactory(user=UserFactory(email="cal@example.com", full_name="Cal Cancelling"), cancel_at_period_end=True,
                  channel="phone", created_at=now - timedelta(days=3))
    ended = MemberFactory(user=UserFactory(email="eve@example.com", full_name="Eve Ended"), state="ended",
                          created_at=now - timedelta(days=2))
    MembershipInvoiceFactory(membership=ended, status="failed", paid_at=None, failed_at=now)
    MemberFactory(user=UserFactory(email="sam@example.com", full_name="Sam Starting"), state="pending",
                  started_at=None, created_at=now - timedelta(days=1))


def test_every_membership_newest_first_with_its_columns(app, staff):
    _sample()
    client, _ = staff
    html = page(client, LIST)
    rows = _rows(html)
    assert [row.split(" ")[0] for row in rows] == ["Sam", "Eve", "Cal", "Pat", "Ann"]
    ann = rows[-1]
    assert "Active" in ann and "Web" in ann and "$19.95" in ann and "paid until" in ann and ann.endswith("paid")
    assert "Cancelling" in rows[2] and "Phone" in rows[2] and "ends" in rows[2]
    assert "Ended" in rows[1] and rows[1].endswith("failed")
    assert "Starting" in rows[0] and rows[0].endswith("—")
    assert "5 memberships" in html
    assert main_of(html).find("a", string="Start a membership for a caller")["href"] == "/backoffice/members/new"


def test_filter_by_state_in_the_words_staff_read(app, staff):
    _sample()
    client, _ = staff
    expected = {"active": ["Ann"], "past_due": ["Pat"], "cancelling": ["Cal"], "ended": ["Eve"],
                "pending": ["Sam"], "nonsense": ["Sam", "Eve", "Cal", "Pat", "Ann"]}
    for state, names in expected.items():
        rows = _rows(page(client, f"{LIST}?state={state}"))
        assert [row.split(" ")[0] for row in rows] == names, state


def test_search_by_email_or_name(app, staff):
    _sample()
    client, _ = staff
    assert [r.split(" ")[0] for r in _rows(page(client, f"{LIST}?q=PAT@example"))] == ["Pat"]
    assert [r.split(" ")[0] for r in _rows(page(client, f"{LIST}?q=cancel"))] == ["Cal"]
    assert [r.split(" ")[0] for r in _rows(page(client, f"{LIST}?q=ended&state=ended"))] == ["Eve"]
    assert "No memberships match." in page(client, f"{LIST}?q=nobody")


def test_fifty_a_page(app, staff):
    now = utcnow()
    for n in range(52):
        MemberFactory(created_at=now - timedelta(minutes=n))
    client, _ = staff
    first, second = page(client, LIST), page(client, f"{LIST}?page=2")
    assert len(_rows(first)) == 50 and len(_rows(second)) == 2
    assert main_of(first).find("nav", class_="pagination") is not None
    assert "52 memberships" in first


def test_one_query_set_whatever_the_number_of_members(app, staff, count_queries):
    client, _ = staff
    for _ in range(3):
        MembershipInvoiceFactory()
    with count_queries() as few:
        page(client, LIST)
    for _ in range(20):
        MembershipInvoiceFactory()
    with count_queries() as many:
        page(client, LIST)
    assert many.count == few.count


def test_only_staff_open_the_members_room(app):
    member = MemberFactory()
    anonymous = app.test_client()
    for url in (LIST, f"/backoffice/members/{member.id}", "/backoffice/members/new"):
        assert anonymous.get(url).status_code == 302
        assert "/account/login" in anonymous.get(url).headers["Location"]
    for role in ("customer", "marketing"):
        client, _ = logged_in(app, role=role)
        for url in (LIST, f"/backoffice/members/{member.id}", "/backoffice/members/new"):
            assert client.get(url).status_code == 403, (role, url)


def test_the_back_office_links_the_members_room_for_staff_only(app, staff):
    client, _ = staff
    nav = main_of(page(client, "/backoffice/")).find("nav", class_="office-nav")
    links = {a.get_text(): a["href"] for a in nav.find_all("a")}
    assert links["Members"] == LIST and links["Members report"] == "/backoffice/reports/members"
    marketing, _ = logged_in(app, role="marketing")
    nav = main_of(page(marketing, "/backoffice/")).find("nav", class_="office-nav")
    links = {a.get_text(): a["href"] for a in nav.find_all("a")}
    assert "Members" not in links and links["Members report"] == "/backoffice/reports/members"
