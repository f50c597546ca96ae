"""Fuzzing the shop's forms with Hypothesis, posted the way a browser would, so the view meets the input.

`form_data({"email": EMAIL, "quantity": NUMBER})` draws what a visitor might post: each field missing, sent
once or repeated (a list where a scalar is expected), with a plausible value, an odd one (unicode, NUL
bytes, very long text, numbers out of range, negative amounts, the wrong type) or a file where text is
expected. `Fuzzer(client)` posts with a valid CSRF token fetched once (fetched again only when a post
ended the session, e.g. a successful login), each post from its own client address so the shop's rate
limits do not stop the walk before the form. `fuzz(fuzzer, url, fields)` runs EXAMPLES examples and checks each
answer is below 500 and, when the input is refused (4xx), that no table gained or lost a row and the
watched rows did not change.
"""

import io
import os
from collections.abc import Callable, Iterable
from itertools import count
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from shop.accounts.models import User
from shop.accounts.passwords import hash_password
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD
from tests.support.forms import csrf_token, log_in, soup

# Inputs per form and database: FUZZ_EXAMPLES, 100 by default in `make test` (200 per form, Hypothesis drawing
# afresh on each backend), which keeps the suite near 7 minutes on two cores; `make fuzz` posts 500 on each.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
DECLINED = 402  # a card declined by Stripe: the attempt (order, membership) is kept on purpose, as a record
# Rows a refused post may write: the rate limits count failed attempts (shop.accounts.ratelimit).
MAY_GROW_WHEN_REFUSED = frozenset({"auth_attempts"})

ODD_TEXT = [
    "", " ", "\x00", "a\x00b", "\x00" * 50, "\r\n\t", "\u202egnp.exe", "\ufeff", "\u200b" * 20, "😀" * 60,
    "é" * 300, "x" * 5000, "y" * 70000, "-1", "-0.01", "0", "-99999999999999999999", "99999999999999999999",
    "1e309", "NaN", "inf", "-inf", "1.5", "0x10", "١٢٣", "２", "true", "null", "None", "[]", "{}", "[1, 2]",
    "' OR 1=1 --", "%00", "%s%s%s", "{{7*7}}", "../../etc/passwd", "<b>", "\\", "\"", "'", "`",
    "2024-02-30", "9999-12-31", "0000-00-00", "12/31/2024", "-2147483649", "2147483648", "9223372036854775808",
]
ODD = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.text(max_size=40),  # any unicode but lone surrogates (a browser cannot send those)
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.text(min_size=1, max_size=3).map(lambda s: s * 1500),
)
FILE = st.builds(lambda body: (io.BytesIO(body), "upload.txt"), st.binary(max_size=64))

# Plausible values, so that some examples pass the form and reach the service behind it.
EMAIL = st.one_of(st.builds("{}@{}.{}".format, st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12),
                             st.sampled_from(["com", "edu", "co", "x"])),
                   st.sampled_from(["customer@example.com", "a@b.co", "ADMIN@EXAMPLE.COM"]))
PASSWORD = st.one_of(st.text(min_size=8, max_size=40), st.sampled_from([DEFAULT_PASSWORD, "a much longer passphrase"]))
NAME = st.text(min_size=1, max_size=60)
WORDS = st.text(max_size=400)
NUMBER = st.one_of(st.integers(min_value=-5, max_value=1000).map(str), st.sampled_from(["1", "2", "10"]))
MONEY = st.one_of(st.integers(min_value=-100, max_value=100000).map(lambda c: f"{c / 100:.2f}"),
                  st.sampled_from(["19.95", "$20", "0", "1,000.00"]))
BOOLEAN = st.sampled_from(["y", "on", "1", "true", "n", "0", "false"])
DATE = st.one_of(st.dates().map(str), st.sampled_from(["2030-01-01", "2020-01-01"]))
DATETIME = st.one_of(st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")), st.just("2030-01-01T09:00"))


def one_of(*values: str) -> st.SearchStrategy:
    """A choice from a list (a select's options): the strategy for a field with fixed choices."""
    return st.sampled_from(values)


def _field(plausible: st.SearchStrategy) -> st.SearchStrategy:
    value = st.one_of(plausible, plausible, ODD, FILE) if plausible is not None else st.one_of(ODD, FILE)
    return st.one_of(
        st.lists(plausible if plausible is not None else ODD, min_size=1, max_size=1),  # a plausible post
        st.lists(value, min_size=0, max_size=1),  # one odd value, or the field left out
        st.lists(value, min_size=2, max_size=3),  # the field repeated: a list where a scalar is expected
    )


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)


def form_data(fields: dict[str, st.SearchStrategy | None], extra: Iterable[str] = ()) -> st.SearchStrategy:
    """("form", {name: [values]}) for a form with `fields` ({name: plausible strategy, or None for odd values
    only}), or now and then ("json", {name: value}): the same fields as a JSON body of any types. `extra`
    names fields the form does not have, sometimes sent along."""
    named = {name: _field(plausible) for name, plausible in fields.items()}
    strays = {name: st.lists(ODD, max_size=1) for name in extra}
    as_json = st.dictionaries(st.sampled_from(sorted(fields) or ["x"]), JSON_VALUE, max_size=len(fields) + 1)
    return st.one_of(st.tuples(st.just("form"), st.fixed_dictionaries(named, optional=strays)),
                     st.tuples(st.just("form"), st.fixed_dictionaries(named, optional=strays)),
                     st.tuples(st.just("form"), st.fixed_dictionaries(named, optional=strays)),
                     st.tuples(st.just("json"), as_json))


_KINDS = {"email": EMAIL, "password": PASSWORD, "number": NUMBER, "date": DATE, "datetime-local": DATETIME,
          "tel": st.sampled_from(["207 555 0142", "+1 (800) 741-5716", "5"]), "textarea": WORDS}
_MONEY_NAMES = ("price", "amount", "budget", "limit", "free_over", "subtotal", "fixed")


def fields_of(form) -> dict[str, st.SearchStrategy]:
    """Plausible values for each field of a parsed <form>, read from the page: a select's or a radio's
    options, a hidden field's value, a strategy by input type (or by name, for amounts in dollars)."""
    options: dict[str, list[str]] = {}
    fields: dict[str, st.SearchStrategy] = {}
    for tag in form.find_all(["input", "select", "textarea"], attrs={"name": True}):
        name = tag["name"]
        kind = tag.get("type", "text").lower() if tag.name == "input" else tag.name
        if name == "csrf_token" or kind in ("submit", "button", "image", "reset"):
            continue
        if kind == "select":
            options.setdefault(name, []).extend(o.get("value", o.get_text()) for o in tag.find_all("option"))
        elif kind in ("radio", "checkbox", "hidden"):
            options.setdefault(name, []).append(tag.get("value") or ("y" if kind == "checkbox" else ""))
        elif kind == "file":
            fields[name] = FILE
        elif any(part in name for part in _MONEY_NAMES):
            fields[name] = MONEY
        else:
            fields[name] = _KINDS.get(kind, NAME if kind != "textarea" else WORDS)
    for name, values in options.items():
        fields[name] = st.sampled_from(values) if values else NAME
    return fields


_COUNTS: dict[str, tuple[list[str], object]] = {}


def row_counts() -> dict[str, int]:
    """Every table's row count (but those a refused post may write), read in one query built once."""
    dialect = db.engine.dialect.name
    if dialect not in _COUNTS:
        names = [table.name for table in db.metadata.sorted_tables if table.name not in MAY_GROW_WHEN_REFUSED]
        counts = ", ".join(f'(SELECT count(*) FROM "{name}")' for name in names)
        _COUNTS[dialect] = names, text(f"SELECT {counts}")
    names, query = _COUNTS[dialect]
    db.session.rollback()
    return dict(zip(names, db.session.execute(query).one(), strict=True))


_addresses = count(1)


def next_address() -> str:
    """A client address of its own for each post (10.x.y.z), so per-address limits never trip."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Fuzzer:
    """One client, logged in as `user` (with DEFAULT_PASSWORD) when given, else anonymous, with the CSRF token
    of its session. A post that changed who is logged in (a successful registration, login or password
    change) is undone before the next one: the anonymous visitor's session is emptied, the user logs in again."""

    def __init__(self, client, user=None, form_page: str = "/account/register"):
        self.client, self.user, self.form_page = client, user, form_page
        self._session_token = None
        self.token = self._fresh_token()

    def _session(self) -> dict:
        with self.client.session_transaction() as session:
            return dict(session)

    def _fresh_token(self) -> str:
        with self.client.session_transaction() as session:
            session.clear()
        if self.user is not None:  # a fuzzed post may have changed the password: it is set back
            db.session.rollback()
            db.session.get(User, self.user.id).password_hash = hash_password(DEFAULT_PASSWORD, fast=True)
            db.session.commit()
            assert log_in(self.client, self.user.email, DEFAULT_PASSWORD).status_code == 302
        response = self.client.get(self.form_page)
        assert response.status_code == 200, (self.form_page, response.status_code)
        self._session_token = self._session().get("csrf_token")
        return csrf_token(response.get_data(as_text=True))

    def _expected(self, session: dict) -> bool:
        logged_in = session.get("_user_id")
        if self.user is None:
            return logged_in is None
        return logged_in is not None and logged_in.partition("-")[0] == str(self.user.id)

    def post(self, url: str, data: dict, encoding: str = "form"):
        address = {"REMOTE_ADDR": next_address()}
        if encoding == "json":
            response = self.client.post(url, json=data, headers={"X-CSRFToken": self.token}, environ_base=address)
        else:
            fields = {name: [_rewound(value) for value in values] for name, values in data.items()}
            response = self.client.post(url, data={**fields, "csrf_token": self.token}, environ_base=address)
        assert "Your form expired or came from another site" not in response.get_data(as_text=True), url
        session = self._session()
        if session.get("csrf_token") != self._session_token or not self._expected(session):
            self.token = self._fresh_token()
        return response


def _rewound(value):
    if isinstance(value, tuple):  # a file: a fresh stream for each post (Hypothesis may replay a value)
        stream, name = value
        return io.BytesIO(stream.getvalue()), name
    return value


def fuzz(fuzzer: Fuzzer, url: str | Callable[[], str], fields: dict, *, extra: Iterable[str] = (),
         snapshot: Callable[[], object] | None = None, examples: int = EXAMPLES) -> dict[int, int]:
    """Post `examples` generated inputs to `url`; returns how many answers had each status code.

    Every answer is below 500; a refused one (4xx) left every table's row count, and `snapshot()` (the rows
    an edit form would change), as they were."""
    statuses: dict[int, int] = {}

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(form_data(fields, extra))
    def one_post(post):
        encoding, data = post
        target = url() if callable(url) else url
        before, seen = row_counts(), snapshot() if snapshot else None
        response = fuzzer.post(target, data, encoding)
        status = response.status_code
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, (target, status, response.get_data(as_text=True)[:2000])
        if 400 <= status < 500 and status != DECLINED:
            after = row_counts()
            changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
            assert not changed, f"{target} answered {status} but saved rows: {changed}"
            if snapshot:
                assert snapshot() == seen, f"{target} answered {status} but changed what it edits"

    one_post()
    return statuses


def fuzz_form(fuzzer: Fuzzer, url: str, page: str | None = None, *, overrides: dict | None = None,
              form_action: str | None = None, **options) -> dict[int, int]:
    """fuzz() the form of `page` (default: `url`) that posts to `url` (or to `form_action`, for a form whose
    button posts it elsewhere), its fields read from the page."""
    response = fuzzer.client.get(page or url)
    assert response.status_code == 200, (page or url, response.status_code)
    posting = {"method": lambda method: (method or "").lower() == "post"}
    forms = soup(response.get_data(as_text=True)).find_all("form", attrs=posting)
    action = form_action or url
    form = next((f for f in forms if urlsplit(f.get("action") or (page or url)).path == action), None)
    assert form is not None, f"no form posting to {url} on {page or url}"
    fields = {**fields_of(form), **(overrides or {})}
    return fuzz(fuzzer, url, fields, **options)
