"""Time helpers: the database stores naive UTC; pages and forms speak the shop's time zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Naive UTC now, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_shop_time(value: datetime | None, tz_name: str) -> datetime | None:
    """A stored (naive UTC) time as an aware time in the shop's zone."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(tz_name))


def to_local(value: datetime | None, tz_name: str) -> datetime | None:
    """A stored (naive UTC) time as the naive local time a form shows."""
    local = to_shop_time(value, tz_name)
    return local.replace(tzinfo=None) if local is not None else None


def to_utc(local: datetime | None, tz_name: str) -> datetime | None:
    """A naive local time typed in a form (in the shop's zone) as naive UTC."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(tz_name)).astimezone(UTC).replace(tzinfo=None)


def local_today(tz_name: str, now: datetime | None = None) -> date:
    """Today's date in the shop's time zone."""
    local = to_shop_time(now or utcnow(), tz_name)
    assert local is not None
    return local.date()


def local_midnight(day: date, tz_name: str) -> datetime:
    """The start of a local day, as naive UTC."""
    result = to_utc(datetime.combine(day, time.min), tz_name)
    assert result is not None
    return result
