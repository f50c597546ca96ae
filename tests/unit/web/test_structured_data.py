"""JSON-LD builders: prices from integer cents, durations from hours, and script text that no title can break."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from shop.web import structured_data as schema
from tests.support.xss import PAYLOADS, active_content


@pytest.mark.parametrize(("cents", "text"), [(4995, "49.95"), (0, "0.00"), (5, "0.05"), (100000, "1000.00"),
                                             (199999999, "1999999.99"), (-250, "-2.50")])
def test_price_text_is_a_decimal_string_from_integer_cents(cents, text):
    assert schema.price_text(cents) == text


@pytest.mark.parametrize(("hours", "duration"), [(6, "PT6H"), (Decimal("1.5"), "PT1H30M"), (Decimal("0.25"), "PT15M"),
                                                 (Decimal("12.00"), "PT12H"), (None, None), (0, None)])
def test_iso_duration_of_ce_hours(hours, duration):
    assert schema.iso_duration(hours) == duration


def test_script_json_escapes_what_could_end_the_element_and_is_the_same_json():
    data = {"name": "</script><script>alert(1)</script> <!-- & \u2028 \u2029 ' \"", "n": [1, 2]}
    text = schema.to_script_json(data)
    assert not set("<>&\u2028\u2029") & set(text)
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == data


def test_no_payload_in_a_title_breaks_out_of_the_script_tag():
    for payload in PAYLOADS:
        html = f"<head>{schema.script_tag({'@type': 'Product', 'name': payload})}</head>"
        scripts = BeautifulSoup(html, "html5lib").find_all("script")
        assert len(scripts) == 1, payload
        assert json.loads(scripts[0].string)["name"] == payload
        assert active_content(html) == [], payload


def test_script_tag_writes_one_block_per_item_and_none_for_none():
    html = str(schema.script_tag({"@type": "A"}, {}, {"@type": "B"}))
    assert html.count('<script type="application/ld+json">') == 2
    assert str(schema.script_tag()) == ""


def test_offer_says_price_currency_availability_and_a_subscription_period():
    offer = schema.offer(1995, "USD", "in_stock", "https://shop.test/p", billing_interval="month")
    assert offer["price"] == "19.95" and offer["priceCurrency"] == "USD"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["priceSpecification"]["referenceQuantity"]["unitCode"] == "MON"
    sold_out = schema.offer(4995, "USD", "out_of_stock", "https://shop.test/b", category="Paid")
    assert sold_out["availability"] == "https://schema.org/OutOfStock" and "priceSpecification" not in sold_out
    with pytest.raises(KeyError):
        schema.offer(100, "USD", "maybe", "https://shop.test/x")


def test_book_is_a_product_and_a_book_with_its_author_and_isbn():
    offer = schema.offer(4995, "USD", "in_stock", "https://shop.test/b")
    book = schema.book("Soft Tissue Release", "https://shop.test/b", "A guide.", offer, author="Mary Sanderson",
                       isbn="9780993201207", pages=224)
    assert book["@type"] == ["Product", "Book"]
    assert book["author"] == {"@type": "Person", "name": "Mary Sanderson"} and book["isbn"] == "9780993201207"
    assert "image" not in book and "publisher" not in book  # nothing empty is written


def test_course_has_its_provider_an_instance_with_its_workload_and_its_offer():
    provider = schema.organization("Shop", "https://shop.test/", telephone="1 800 741 5716")
    course = schema.course("Ethics", "https://shop.test/c", "Ethics. Home study, 3 CE hours.", provider,
                           schema.offer(4900, "USD", "in_stock", "https://shop.test/c", category="Paid"),
                           hours=Decimal("3.00"), instructor="Jo Teacher")
    assert course["@type"] == "Course" and course["provider"] == {"@type": "Organization", "name": "Shop",
                                                                   "url": "https://shop.test/"}
    assert course["hasCourseInstance"] == {"@type": "CourseInstance", "courseMode": "online", "courseWorkload": "PT3H",
                                           "instructor": {"@type": "Person", "name": "Jo Teacher"}}
    assert course["offers"]["category"] == "Paid"


def test_organization_and_breadcrumbs():
    org = schema.organization("Shop", "https://shop.test/", telephone="1 800 741 5716", logo="https://shop.test/l.svg")
    assert org["telephone"] == org["contactPoint"]["telephone"] == "1 800 741 5716"
    assert "email" not in org and schema.organization("Shop", "https://shop.test/").get("contactPoint") is None
    crumbs = schema.breadcrumb_list([("Home", "https://shop.test/"), ("Books", "https://shop.test/catalogue?kind=book")])
    assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        (1, "Home", "https://shop.test/"), (2, "Books", "https://shop.test/catalogue?kind=book")]
