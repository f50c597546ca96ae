"""What the catalogue asks the rest of the shop (blinker signals; receivers live with their data)."""

from blinker import Namespace

_signals = Namespace()

# sender: a product id. Each receiver answers whether its records refer to the product (an order line, a
# stock hold, a course access, a promotion), so that a product ever sold is retired instead of deleted.
product_in_use = _signals.signal("product-in-use")


def is_in_use(product_id: int) -> bool:
    """Whether any domain's records refer to the product. With no domain listening (the app's modules not
    imported) nobody could say no, so the answer is yes: a product is never deleted on a guess."""
    answers = product_in_use.send(product_id)
    return not answers or any(answer for _receiver, answer in answers)


# sender: the id of a course about to go on sale (None for one not saved yet). A receiver answers a reason
# to refuse ("Add at least one lesson…") or None; the courses domain knows whether the course has lessons.
course_publishing = _signals.signal("course-publishing")


NOBODY_TO_ASK = "This course cannot be put on sale now: the shop could not check its lessons."


def publishing_refusal(product_id: int | None) -> str | None:
    """The first reason a receiver gives not to put this course on sale, or None when nobody objects.

    With no receiver (the courses domain not imported) nobody can say the course has lessons: refused."""
    answers = course_publishing.send(product_id)
    if not answers:
        return NOBODY_TO_ASK
    return next((answer for _receiver, answer in answers if answer), None)
