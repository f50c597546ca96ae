"""What a customer's "My courses" shows: each course they can open, how far they are, and what they earned."""

from dataclasses import dataclass

from sqlalchemy import select

from shop.accounts.models import User
from shop.catalogue.models import KIND_COURSE, Product
from shop.courses import access
from shop.courses.models import Certificate, CourseAccess
from shop.courses.progress import CourseProgress, progress_for
from shop.extensions import db


@dataclass(frozen=True)
class Entry:
    product: Product
    access: CourseAccess
    progress: CourseProgress
    certificates: list[Certificate]


def my_courses(user: User) -> list[Entry]:
    """Every course the customer can open (newest first) in a fixed number of queries."""
    rows = list(db.session.scalars(
        select(CourseAccess).join(Product, Product.id == CourseAccess.product_id)
        .where(CourseAccess.user_id == user.id, Product.kind == KIND_COURSE)
        .order_by(CourseAccess.granted_at.desc(), CourseAccess.id.desc())).unique())
    ids = {row.product_id for row in rows}
    progress = progress_for(user.id, ids)
    earned: dict[int, list[Certificate]] = {}
    if ids:
        for certificate in db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                              .order_by(Certificate.issued_at)):
            earned.setdefault(certificate.product_id, []).append(certificate)
    return [Entry(product=row.product, access=row, progress=progress[row.product_id],
                  certificates=earned.get(row.product_id, [])) for row in rows]


def open_course(user: object, slug: str) -> Product | None:
    """The course with this slug if this customer may open it; None (a 404) for anyone else."""
    product = db.session.scalar(select(Product).where(Product.slug == slug, Product.kind == KIND_COURSE))
    return product if access.can_open(user, product) else None


def certificates_of(user_id: int, product_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id,
                                                             Certificate.product_id == product_id)
                                   .order_by(Certificate.issued_at)))
