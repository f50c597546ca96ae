"""What a customer's "My courses" shows: each course they can open, how far they are, and what they earned."""

from dataclasses import dataclass

from sqlalchemy import select

from shop.accounts.models import User
from shop.catalogue.models import KIND_COURSE, Product
from shop.courses import access
from shop.courses.models import Certificate, CourseAccess
from shop.courses.progress import CourseProgress, progress_for
from shop.extensions import db
from shop.membership.queries import is_member


@dataclass(frozen=True)
class Entry:
    product: Product
    access: CourseAccess | None  # None: open through the membership only
    progress: CourseProgress
    certificates: list[Certificate]

    @property
    def through_membership(self) -> bool:
        return self.access is None


def my_courses(user: User) -> list[Entry]:
    """Every course the customer can open (owned ones newest first, then a member's other published courses
    by title) in a fixed number of queries."""
    rows = list(db.session.scalars(
        select(CourseAccess).join(Product, Product.id == CourseAccess.product_id)
        .where(CourseAccess.user_id == user.id, Product.kind == KIND_COURSE)
        .order_by(CourseAccess.granted_at.desc(), CourseAccess.id.desc())).unique())
    owned: list[tuple[Product, CourseAccess | None]] = [(row.product, row) for row in rows]
    ids = {row.product_id for row in rows}
    if is_member(user):
        owned += [(product, None) for product in db.session.scalars(
            select(Product).where(Product.kind == KIND_COURSE, Product.is_active.is_(True),
                                  Product.id.not_in(ids or {0})).order_by(Product.title))]
    ids = {product.id for product, _ in owned}
    progress = progress_for(user.id, ids)
    earned: dict[int, list[Certificate]] = {}
    if ids:
        for certificate in db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                              .order_by(Certificate.issued_at)):
            earned.setdefault(certificate.product_id, []).append(certificate)
    return [Entry(product=product, access=row, progress=progress[product.id],
                  certificates=earned.get(product.id, [])) for product, row in owned]


def open_course(user: object, slug: str) -> Product | None:
    """The course with this slug if this customer may open it; None (a 404) for anyone else."""
    product = db.session.scalar(select(Product).where(Product.slug == slug, Product.kind == KIND_COURSE))
    return product if access.can_open(user, product) else None


def certificates_of(user_id: int, product_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id,
                                                             Certificate.product_id == product_id)
                                   .order_by(Certificate.issued_at)))
