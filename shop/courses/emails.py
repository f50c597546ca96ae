"""The e-mail a customer gets when staff open a course for them (a bought course is in the order's confirmation)."""

from typing import Any

from shop.mail import messages
from shop.mail.models import OutboxMessage

MY_COURSES = "learning.my_courses"


def course_access_granted(user: Any, product: Any, access: Any, note: str = "") -> OutboxMessage | None:
    """Once per grant (dedupe key `course-granted:<access id>`): a repeated form sends nothing more."""
    context = {"user": user, "course": product, "note": note,
               "course_url": messages.absolute_url("learning.course", slug=product.slug),
               "courses_url": messages.absolute_url(MY_COURSES)}
    subject = f"You can now take “{product.title}”"
    return messages.send("course_access_granted", user.email, subject, context,
                         dedupe_key=f"course-granted:{access.id}")
