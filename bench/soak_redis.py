"""The soak with --redis: both app servers count their rate limits and failed logins in that Redis, under a
prefix of the run's own, and the run reports what Redis counted beside the rows the database did not get."""

import uuid

import redis


def start_redis_counting(stack, url):
    """With --redis: both app servers count the rate limits in that Redis, under a prefix of this run's own
    (its keys deleted at the end). Returns the settings for the servers, or {} for the database's counts."""
    if not url:
        return {}
    client = redis.Redis.from_url(url, socket_timeout=5)
    client.ping()
    prefix = f"soak-{uuid.uuid4().hex[:8]}:"

    def clear():
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)

    stack.callback(clear)
    return {"REDIS_URL": url, "REDIS_PREFIX": prefix}


def print_redis_counts(db, url, prefix):
    client = redis.Redis.from_url(url, socket_timeout=5)
    keys = list(client.scan_iter(match=f"{prefix}attempts:*"))
    attempts = sum(client.zcard(key) for key in keys)
    rows = db.scalar("SELECT count(*) FROM auth_attempts")
    print(f"redis: {attempts} attempts under {len(keys)} keys; auth_attempts rows in the database: {rows}")
