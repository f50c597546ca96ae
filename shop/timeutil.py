"""Time helpers: the database stores naive UTC; pages show the shop's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow():
    """Naive UTC now, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_shop_time(value, tz_name):
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(tz_name))
