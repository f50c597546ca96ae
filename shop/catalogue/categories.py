"""Categories as marketing manages them: the list, create and rename, each change audited."""

from typing import Any

from sqlalchemy import select

from shop.catalogue.admin import SLUG_RE, CatalogueError, slugify
from shop.catalogue.models import Category
from shop.core import audit
from shop.core.timeutil import utcnow
from shop.extensions import db


def categories() -> list[Category]:
    return db.session.scalars(select(Category).order_by(Category.position, Category.name)).all()


def save_category(category: Category | None, values: dict[str, Any], actor: Any = None) -> Category:
    values["slug"] = values.get("slug") or slugify(values["name"], 80)
    if not SLUG_RE.match(values["slug"]):
        raise CatalogueError("Use lower-case letters, digits and single dashes, like pain-management.", "slug")
    mine = category.id if category is not None else 0
    if db.session.scalar(select(Category.id).where(Category.slug == values["slug"], Category.id != mine)):
        raise CatalogueError(f"Another category already uses {values['slug']}.", "slug")
    created = category is None
    if created:
        category = Category()
        db.session.add(category)
    for name in ("name", "slug", "description", "position"):
        setattr(category, name, values[name])
    category.updated_at = utcnow()
    db.session.flush()
    audit.record("created" if created else "updated", "category", category.id,
                 f"{category.name} ({category.slug})", actor=actor)
    db.session.commit()
    return category
