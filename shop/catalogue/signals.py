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
