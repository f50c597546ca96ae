"""What the catalogue asks the rest of the shop (blinker signals; receivers live with their data)."""

from blinker import Namespace

_signals = Namespace()

# sender: a product id. Each receiver answers whether its records refer to the product (an order line, a
# stock hold, a course access, a promotion), so that a product ever sold is retired instead of deleted.
product_in_use = _signals.signal("product-in-use")


def is_in_use(product_id: int) -> bool:
    return any(answer for _receiver, answer in product_in_use.send(product_id))
