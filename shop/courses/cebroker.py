"""CE Broker reporting: Florida requires providers to report each Florida licensee's completions.

`completions` lists the certificates to report: not revoked, issued under a Florida approval (state FL,
or one carrying a CE Broker course tracking number), held by someone with a Florida licence on their
profile, completed within the dates. `export` writes them as CSV and marks them reported, so the next
export leaves them out unless asked.

The layout: one header row, then per completion the licence number, last and first name as on the
licence, the CE Broker course tracking number, the completion date (MM/DD/YYYY), the approved hours, and
our certificate number. CE Broker's own roster upload (an Excel sheet per course, keyed by the licence
number and the course tracking number) takes the same facts; staff paste these columns into it.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, joinedload

from shop.accounts.models import Licence, User
from shop.core import audit
from shop.core.spreadsheet import csv_text
from shop.core.timeutil import utcnow
from shop.courses.approvals import FLORIDA
from shop.courses.certificate_pdf import ce_hours_text
from shop.courses.models import Approval, Certificate
from shop.extensions import db

HEADER = ("Licence number", "Last name", "First name", "Course tracking number", "Completion date", "Hours",
          "Certificate number")
SUFFIXES = {"JR", "JR.", "SR", "SR.", "II", "III", "IV", "V"}
_outer = aliased(Certificate)


@dataclass(frozen=True)
class Completion:
    certificate: Certificate
    licence_number: str
    last_name: str
    first_name: str

    @property
    def already_reported(self) -> bool:
        return self.certificate.cebroker_reported_at is not None


def split_name(name: str) -> tuple[str, str]:
    """(last, first) from a name as on a licence: "Last, First Middle" or "First Middle Last Jr."."""
    name = " ".join((name or "").split())
    if "," in name:
        last, _, first = name.partition(",")
        return last.strip(), (first.split() or [""])[0]
    words = name.split(" ")
    if len(words) == 1:
        return words[0], ""
    last_index = len(words) - 1
    if words[last_index].upper() in SUFFIXES and last_index > 1:
        last_index -= 1
    return " ".join(words[last_index:]), words[0]


def completions(start: date, end: date, *, include_reported: bool) -> list[Completion]:
    """Completions of Florida licensees to report, by completion date."""
    statement = (
        select(Certificate, Licence.number)
        .join(Approval, Approval.id == Certificate.approval_id)
        .join(Licence, (Licence.user_id == Certificate.user_id) & (Licence.state == FLORIDA))
        .options(joinedload(Certificate.user))
        .where(Certificate.revoked_at.is_(None), Certificate.completed_on >= start, Certificate.completed_on <= end,
               or_(Approval.state == FLORIDA, Certificate.cebroker_tracking_number != ""))
        .order_by(Certificate.completed_on, Certificate.id))
    if not include_reported:
        statement = statement.where(Certificate.cebroker_reported_at.is_(None))
    found = []
    for certificate, licence_number in db.session.execute(statement).unique():
        user: User = certificate.user
        number = certificate.licence_number if certificate.licence_state == FLORIDA and certificate.licence_number \
            else licence_number
        last, first = split_name(user.licence_name or certificate.participant_name)
        found.append(Completion(certificate, number, last, first))
    return found


def unreportable(start: date, end: date) -> list[Certificate]:
    """Florida licensees' completions CE Broker cannot take: the course has no Florida approval (no
    tracking number) behind any of their certificates for it. Staff tell the customer, or seek the approval."""
    reportable = (select(Certificate.id).join(Approval, Approval.id == Certificate.approval_id)
                  .where(Certificate.user_id == _outer.user_id, Certificate.product_id == _outer.product_id,
                         or_(Approval.state == FLORIDA, Certificate.cebroker_tracking_number != "")).exists())
    statement = (
        select(_outer).join(Licence, (Licence.user_id == _outer.user_id) & (Licence.state == FLORIDA))
        .options(joinedload(_outer.user))
        .where(_outer.revoked_at.is_(None), _outer.completed_on >= start, _outer.completed_on <= end, ~reportable)
        .order_by(_outer.completed_on, _outer.id))
    seen, found = set(), []
    for certificate in db.session.scalars(statement).unique():
        if (certificate.user_id, certificate.product_id) not in seen:  # one line per customer and course
            seen.add((certificate.user_id, certificate.product_id))
            found.append(certificate)
    return found


def hours_number(value: Any) -> str:
    return ce_hours_text(value).split(" ")[0]


def to_csv(rows: list[Completion]) -> str:
    return csv_text(HEADER, ([row.licence_number, row.last_name, row.first_name,
                              row.certificate.cebroker_tracking_number, f"{row.certificate.completed_on:%m/%d/%Y}",
                              hours_number(row.certificate.ce_hours), row.certificate.number] for row in rows))


def export(start: date, end: date, *, include_reported: bool, actor: Any) -> str:
    """The CSV of the completions, which are then marked reported (a re-exported one keeps its first date).
    Audited; commits."""
    rows = completions(start, end, include_reported=include_reported)
    now = utcnow()
    fresh = 0
    for row in rows:
        if row.certificate.cebroker_reported_at is None:
            row.certificate.cebroker_reported_at = now
            fresh += 1
    text = to_csv(rows)
    audit.record("CE Broker export", "cebroker", f"{start:%Y-%m-%d}..{end:%Y-%m-%d}",
                 f"{len(rows)} completion{'s' if len(rows) != 1 else ''} ({fresh} not reported before)", actor=actor)
    db.session.commit()
    return text
