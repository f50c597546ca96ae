"""What a product is and does, read from its fields alone: shared by the Product row and its read-only view.

`ProductRules` needs `id, kind, sku, title, price_cents, course_format`, `images` (first is the main image),
`categories` (each with a `slug`) and `components` (each with `component`, `component_id` and `quantity`).
The ORM model (shop.catalogue.models.Product) and the storefront's plain view (shop.catalogue.readmodel) both
mix it in, so a rule is written once whichever of the two a page holds.
"""

from typing import Any

from shop.pricing.types import Line

KIND_BOOK = "book"
KIND_COURSE = "course"
KIND_COMBO = "combo"
KIND_MEMBERSHIP = "membership"
KIND_LABELS = {
    KIND_BOOK: "Book",
    KIND_COURSE: "Home study course",
    KIND_COMBO: "Combo deal",
    KIND_MEMBERSHIP: "Membership",
}
FORMAT_ONLINE = "online"
FORMAT_ONLINE_WITH_KIT = "online_with_kit"


class ProductRules:
    __slots__ = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def is_physical(self) -> bool:
        """Something that ships: a book, a course with a printed kit, a combo holding one."""
        if self.kind == KIND_BOOK:
            return True
        if self.kind == KIND_COURSE:
            return self.course_format == FORMAT_ONLINE_WITH_KIT
        if self.kind == KIND_COMBO:
            return any(c.component.is_physical for c in self.components)
        return False

    @property
    def courses(self) -> list[Any]:
        """The courses this product opens: itself, or a combo's courses (the membership is not one)."""
        if self.kind == KIND_COURSE:
            return [self]
        if self.kind == KIND_COMBO:
            return [c.component for c in self.components if c.component.kind == KIND_COURSE]
        return []

    @property
    def course_ids(self) -> set[int]:
        return {course.id for course in self.courses}

    def books(self, quantity: int = 1) -> dict[int, tuple[Any, int]]:
        """{book id: (book, copies)} that `quantity` of this product takes from stock (a combo: its books)."""
        if self.kind == KIND_BOOK:
            return {self.id: (self, quantity)}
        if self.kind == KIND_COMBO:
            return {c.component_id: (c.component, c.quantity * quantity) for c in self.components
                    if c.component.kind == KIND_BOOK}
        return {}

    @property
    def one_per_customer(self) -> bool:
        """Courses, the membership and combos holding a course are bought once, never by the dozen."""
        return self.kind == KIND_MEMBERSHIP or bool(self.courses)

    def pricing_line(self, quantity: int = 1) -> Line:
        """This product as the pricing module reads it: a frozen snapshot of it now, never the row."""
        return Line(product_id=self.id, sku=self.sku, title=self.title, kind=self.kind,
                    unit_price_cents=self.price_cents, quantity=quantity, is_physical=self.is_physical,
                    categories=frozenset(c.slug for c in self.categories))

    @property
    def tracks_stock(self) -> bool:
        return self.kind == KIND_BOOK

    @property
    def image(self) -> Any:
        return self.images[0] if self.images else None
