"""Rate limits count clients: an IPv6 client by its /64 network, an IPv4 one (mapped or not) by its address."""

import pytest

from shop.accounts.ratelimit import client_address


@pytest.mark.parametrize(("address", "counted"), [
    ("203.0.113.7", "203.0.113.7"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("2001:db8:abcd:12:1::5", "2001:db8:abcd:12::/64"),
    ("2001:db8:abcd:12:ffff:ffff:ffff:ffff", "2001:db8:abcd:12::/64"),
    ("not an address", "not an address"),
    ("", ""),
])
def test_a_client_is_counted_by_its_address_or_its_ipv6_network(address, counted):
    assert client_address(address) == counted
